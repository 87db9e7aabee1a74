package tapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.platform.kafka.access.AclPlan;
import tapipeline.platform.kafka.access.KafkaAccess;

/**
 * The operators' script, deploy/kafka-acls.sh: committed as the declarations generate it, and when
 * run (against stand-ins for kafka-acls.sh and kafka-configs.sh that record their arguments) it
 * creates each principal's user with the password from its variable and grants exactly the plan.
 */
class AclScriptTest {

    private static final Path COMMITTED = Path.of("..").resolve(AclScript.COMMITTED);
    private static final String END = "--end-of-call--";

    @BeforeAll
    static void needsBash() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
    }

    @Test
    void the_committed_script_is_what_the_declarations_generate() throws Exception {
        assertThat(COMMITTED).as("deploy/kafka-acls.sh is committed").exists();
        assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
                .as("deploy/kafka-acls.sh differs from what the services' KafkaAccess declarations generate: "
                        + "run " + AclScript.REGENERATE + " and commit the result")
                .isEqualTo(AclScript.generate());
    }

    @Test
    void running_the_script_grants_exactly_the_plan_and_creates_every_user(@TempDir Path dir) throws Exception {
        List<KafkaAccess> all = AclPlan.discover();
        Map<String, String> env = new HashMap<>();
        for (KafkaAccess a : all) {
            env.put(AclPlan.passwordVariable(a.principal()), "pw-of-" + a.principal());
        }
        Run run = run(dir, env);
        assertThat(run.exit).as("exit status; output:\n%s", run.output).isZero();

        Set<AclBinding> granted = new HashSet<>();
        Map<String, String> users = new HashMap<>();
        for (List<String> call : run.calls) {
            String tool = call.get(0);
            List<String> args = call.subList(1, call.size());
            assertThat(value(args, "--bootstrap-server")).isEqualTo("b1:9092,b2:9092");
            assertThat(value(args, "--command-config")).isEqualTo("/secrets/admin.properties");
            if (tool.equals("kafka-configs.sh")) {
                assertThat(args).contains("--alter", "--entity-type", "users");
                users.put(value(args, "--entity-name"), value(args, "--add-config"));
            } else {
                assertThat(tool).isEqualTo("kafka-acls.sh");
                granted.addAll(bindings(args));
            }
        }
        assertThat(granted).as("what the script grants").containsExactlyInAnyOrderElementsOf(AclPlan.bindings(all));
        for (KafkaAccess a : all) {
            assertThat(users).containsEntry(a.principal(), "SCRAM-SHA-512=[password=pw-of-" + a.principal() + "]");
        }
        assertThat(users).hasSameSizeAs(all);
        assertThat(Files.readString(COMMITTED)).doesNotContain("pw-of-");
    }

    @Test
    void a_missing_password_stops_the_script_before_anything_changes(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>();
        for (KafkaAccess a : AclPlan.discover()) {
            env.put(AclPlan.passwordVariable(a.principal()), "pw");
        }
        env.remove("SOLVER_KAFKA_PASSWORD");
        Run run = run(dir, env);
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.output).contains("SOLVER_KAFKA_PASSWORD is not set");
        assertThat(run.calls).as("no kafka tool was run").isEmpty();

        env.put("SOLVER_KAFKA_PASSWORD", "a]b");
        run = run(dir.resolve("again"), env);
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.output).contains("SOLVER_KAFKA_PASSWORD: kafka-configs cannot take a password with");
        assertThat(run.calls).isEmpty();
    }

    @Test
    void with_skip_users_only_acls_are_added(@TempDir Path dir) throws Exception {
        Run run = run(dir, Map.of("SKIP_USERS", "1"));
        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.calls).isNotEmpty().allSatisfy(c -> assertThat(c.get(0)).isEqualTo("kafka-acls.sh"));
    }

    private record Run(int exit, String output, List<List<String>> calls) {
    }

    /** Runs the committed script with stand-in tools in KAFKA_BIN that log their arguments. */
    private static Run run(Path dir, Map<String, String> env) throws Exception {
        Files.createDirectories(dir);
        Path log = dir.resolve("calls.log");
        for (String tool : List.of("kafka-acls.sh", "kafka-configs.sh")) {
            Path p = dir.resolve(tool);
            Files.writeString(p, "#!/usr/bin/env bash\n{ echo " + tool + "; for a in \"$@\"; do printf '%s\\n' \"$a\"; done; echo " + END
                    + "; } >> " + log + "\n");
            p.toFile().setExecutable(true);
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", COMMITTED.toString()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.endsWith("_KAFKA_PASSWORD") || k.equals("SKIP_USERS"));
        pb.environment().put("KAFKA_BIN", dir.toString());
        pb.environment().put("BOOTSTRAP_SERVERS", "b1:9092,b2:9092");
        pb.environment().put("ADMIN_CONFIG", "/secrets/admin.properties");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<List<String>> calls = new ArrayList<>();
        if (Files.exists(log)) {
            List<String> current = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                if (line.equals(END)) {
                    calls.add(current);
                    current = new ArrayList<>();
                } else {
                    current.add(line);
                }
            }
        }
        return new Run(p.exitValue(), output, calls);
    }

    private static String value(List<String> args, String option) {
        int i = args.indexOf(option);
        assertThat(i).as("%s in %s", option, args).isNotNegative();
        return args.get(i + 1);
    }

    /** What kafka-acls.sh --add grants for these arguments: every operation on every resource given. */
    private static List<AclBinding> bindings(List<String> args) {
        assertThat(args).contains("--add");
        String principal = value(args, "--allow-principal");
        PatternType pattern = args.contains("--resource-pattern-type")
                ? PatternType.fromString(value(args, "--resource-pattern-type").toUpperCase(java.util.Locale.ROOT)) : PatternType.LITERAL;
        List<AclOperation> ops = new ArrayList<>();
        List<ResourcePattern> resources = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--operation" -> ops.add(AclOperation.fromString(args.get(i + 1).replaceAll("([a-z])([A-Z])", "$1_$2")));
                case "--topic" -> resources.add(new ResourcePattern(ResourceType.TOPIC, args.get(i + 1), pattern));
                case "--group" -> resources.add(new ResourcePattern(ResourceType.GROUP, args.get(i + 1), pattern));
                case "--transactional-id" -> resources.add(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, args.get(i + 1), pattern));
                case "--cluster" -> resources.add(new ResourcePattern(ResourceType.CLUSTER, KafkaAccess.CLUSTER, pattern));
                default -> { }
            }
        }
        assertThat(ops).as("operations in %s", args).isNotEmpty().doesNotContain(AclOperation.UNKNOWN);
        List<AclBinding> out = new ArrayList<>();
        for (ResourcePattern r : resources) {
            for (AclOperation op : ops) {
                out.add(new AclBinding(r, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
            }
        }
        return out;
    }
}
