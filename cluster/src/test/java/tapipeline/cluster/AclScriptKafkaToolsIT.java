package tapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.embedded.EmbeddedKafka;
import tapipeline.platform.kafka.ClientProperties;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.access.AclPlan;
import tapipeline.platform.kafka.access.KafkaAccess;

/**
 * The committed deploy/kafka-acls.sh run as an operator would, with Kafka's own tools (AclCommand
 * and ConfigCommand from kafka-tools, what kafka-acls.sh and kafka-configs.sh run), against a real
 * broker with the standard authorizer: it creates every principal's SCRAM user and exactly the
 * plan's ACLs, and a principal then signs in with its password and reads what it may.
 */
class AclScriptKafkaToolsIT {

    private static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        broker = EmbeddedKafka.builder().scramListener("SCRAM-SHA-512")
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .brokerProperty("super.users", "User:ANONYMOUS")
                .brokerProperty("allow.everyone.if.no.acl.found", "false")
                .build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void the_script_creates_the_users_and_exactly_the_plans_acls_with_kafkas_tools(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        for (Map.Entry<String, String> tool : Map.of("kafka-acls.sh", "org.apache.kafka.tools.AclCommand",
                "kafka-configs.sh", "org.apache.kafka.tools.ConfigCommand").entrySet()) {
            Path p = dir.resolve(tool.getKey());
            Files.writeString(p, "#!/usr/bin/env bash\nexec '" + java + "' -Xmx256m -cp '" + classpath + "' " + tool.getValue()
                    + " \"$@\"\n");
            p.toFile().setExecutable(true);
        }
        Path adminConfig = Files.writeString(dir.resolve("admin.properties"), "# plaintext: ANONYMOUS is the super user here\n");
        List<KafkaAccess> plan = AclPlan.discover();

        ProcessBuilder pb = new ProcessBuilder("/bin/bash", Path.of("..").resolve(AclScript.COMMITTED).toString())
                .redirectErrorStream(true);
        pb.environment().put("KAFKA_BIN", dir.toString());
        pb.environment().put("BOOTSTRAP_SERVERS", broker.bootstrapServers());
        pb.environment().put("ADMIN_CONFIG", adminConfig.toString());
        for (KafkaAccess a : plan) {
            pb.environment().put(AclPlan.passwordVariable(a.principal()), "pw-" + a.principal());
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("deploy/kafka-acls.sh with Kafka's tools:\n%s", output).isZero();

        try (Admin admin = new KafkaClients(broker.bootstrapServers()).admin()) {
            Set<AclBinding> present = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
            assertThat(present).containsExactlyInAnyOrderElementsOf(AclPlan.bindings(plan));
            new TopicAdmin(admin, 3, (short) 1).ensure(Topics.allWithDeadLetters());
        }
        // the user the script made signs in with its password, and its ACLs let it see its topic
        Map<String, Object> props = new KafkaClients(broker.saslBootstrapServers(),
                ClientProperties.of(broker.scramClientProperties("solver", "pw-solver"))).consumerProps(null, "acl-tools-it");
        props.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
            assertThat(c.partitionsFor(Topics.RUN_REQUESTED.name(), Duration.ofSeconds(30))).hasSize(3);
            assertThat(c.listTopics(Duration.ofSeconds(30)).keySet()).as("it sees only the topics it may describe")
                    .contains(Topics.RUN_REQUESTED.name()).doesNotContain(Topics.ACCOUNTS.name());
        }
    }
}
