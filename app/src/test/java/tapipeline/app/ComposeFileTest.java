package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.yaml.snakeyaml.Yaml;

import tapipeline.platform.config.Key;
import tapipeline.platform.http.Health;
import tapipeline.platform.http.HttpServer;
import tapipeline.platform.kafka.ClientProperties;
import tapipeline.platform.config.PlatformConfig;
import tapipeline.platform.service.ServiceModule;

/**
 * docker-compose.yml checked without a Docker engine, for what a schema cannot see: every
 * container's command is a real main class of ours, dependencies exist and healthy-dependencies
 * have a health check, every environment variable is a configuration key we read, every service
 * module is deployed, the broker's log is on its volume, published ports listen on loopback, and
 * every long-running container has a health check that really tells a healthy service from a
 * sick one (the check's own command is run here against a real HTTP server).
 */
class ComposeFileTest {

    private static Map<String, Map<String, Object>> services;
    private static Map<String, Object> volumes;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        try (Reader r = Files.newBufferedReader(Path.of("..", "docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(r); // SnakeYAML resolves the << merge keys
            services = (Map<String, Map<String, Object>>) compose.get("services");
            volumes = (Map<String, Object>) compose.get("volumes");
        }
    }

    @Test
    void every_service_module_has_a_container_running_its_main_class() {
        List<String> commands = new ArrayList<>();
        services.values().forEach(s -> commands.add(String.valueOf(command(s).isEmpty() ? "" : command(s).get(0))));
        for (ServiceModule module : ServiceLoader.load(ServiceModule.class)) {
            assertThat(commands).as("a container runs %s", module.name()).contains(module.getClass().getName());
        }
    }

    @Test
    void our_containers_run_public_static_main_methods() throws Exception {
        for (var e : services.entrySet()) {
            if (!isOurs(e.getValue())) {
                continue;
            }
            String mainClass = String.valueOf(command(e.getValue()).get(0));
            Method main = Class.forName(mainClass).getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).as("%s: %s.main is static", e.getKey(), mainClass).isTrue();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void dependencies_exist_and_health_conditions_have_health_checks() {
        for (var e : services.entrySet()) {
            Object dependsOn = e.getValue().get("depends_on");
            if (!(dependsOn instanceof Map<?, ?> deps)) {
                continue;
            }
            for (var d : ((Map<String, Map<String, Object>>) deps).entrySet()) {
                assertThat(services).as("%s depends on %s", e.getKey(), d.getKey()).containsKey(d.getKey());
                if ("service_healthy".equals(d.getValue().get("condition"))) {
                    assertThat(services.get(d.getKey())).as("%s has a healthcheck", d.getKey()).containsKey("healthcheck");
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void our_containers_only_set_configuration_keys_we_read_and_reach_the_broker_it_advertises() {
        Set<String> known = new HashSet<>();
        PlatformConfig.keys().forEach(k -> known.add(k.name()));
        for (ServiceModule m : ServiceLoader.load(ServiceModule.class)) {
            m.configKeys().stream().map(Key::name).forEach(known::add);
        }
        for (var e : services.entrySet()) {
            if (!isOurs(e.getValue())) {
                continue;
            }
            Map<String, Object> env = (Map<String, Object>) e.getValue().get("environment");
            assertThat(env).as("%s has an environment", e.getKey()).isNotNull();
            for (String key : env.keySet()) {
                if (key.startsWith(ClientProperties.KEY_PREFIX) && !known.contains(key)) {
                    String property = ClientProperties.propertyName(key);
                    assertThat(ClientProperties.isClientProperty(property)).as("%s: %s is a Kafka client property", e.getKey(), key)
                            .isTrue();
                    assertThat(ClientProperties.PLATFORM_OWNED).as("%s: %s", e.getKey(), key).doesNotContainKey(property);
                } else {
                    assertThat(known).as("%s sets only known keys", e.getKey()).contains(key);
                }
            }
            for (String server : String.valueOf(env.get("KAFKA_BOOTSTRAP_SERVERS")).split(",")) {
                String host = server.substring(0, server.indexOf(':'));
                assertThat(services).as("%s: broker %s is a container", e.getKey(), host).containsKey(host);
                String advertised = String.valueOf(((Map<String, Object>) services.get(host).get("environment"))
                        .get("KAFKA_ADVERTISED_LISTENERS"));
                assertThat(advertised).as("%s: %s advertises %s", e.getKey(), host, server).contains("//" + server);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_broker_keeps_its_log_on_its_volume() {
        for (String broker : List.of("kafka", "kafka-1", "kafka-2", "kafka-3")) {
            brokerKeepsItsLogOnItsVolume(services.get(broker));
        }
    }

    @SuppressWarnings("unchecked")
    private static void brokerKeepsItsLogOnItsVolume(Map<String, Object> kafka) {
        Object logDirs = ((Map<String, Object>) kafka.get("environment")).get("KAFKA_LOG_DIRS");
        assertThat(logDirs).as("KAFKA_LOG_DIRS (else the image writes to /tmp/kraft-combined-logs)").isNotNull();
        List<String> mounts = new ArrayList<>();
        for (Object v : (List<Object>) kafka.get("volumes")) {
            String[] parts = String.valueOf(v).split(":");
            assertThat(volumes).as("named volume %s is declared", parts[0]).containsKey(parts[0]);
            mounts.add(parts[1]);
        }
        assertThat(mounts).as("a named volume is mounted at KAFKA_LOG_DIRS").contains(String.valueOf(logDirs));
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_published_port_listens_on_loopback_unless_asked_otherwise() {
        int published = 0;
        for (var e : services.entrySet()) {
            Object ports = e.getValue().get("ports");
            if (ports == null) {
                continue;
            }
            for (Object port : (List<Object>) ports) {
                String hostIp;
                if (port instanceof Map<?, ?> longForm) {
                    hostIp = String.valueOf(((Map<String, Object>) longForm).get("host_ip"));
                } else {
                    // HOST:PUBLISHED:TARGET; a shorter form publishes on every interface
                    String[] parts = withDefaults(String.valueOf(port)).split(":");
                    assertThat(parts).as("%s: port %s names the host interface", e.getKey(), port).hasSize(3);
                    hostIp = parts[0];
                }
                assertThat(hostIp).as("%s: port %s by default", e.getKey(), port).isEqualTo("127.0.0.1");
                published++;
            }
        }
        assertThat(published).as("the handbook's operator preview is published").isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_long_running_container_has_a_health_check_on_its_own_port() {
        Set<String> oneShot = new HashSet<>();
        services.values().forEach(s -> {
            if (s.get("depends_on") instanceof Map<?, ?> deps) {
                ((Map<String, Map<String, Object>>) deps).forEach((name, d) -> {
                    if ("service_completed_successfully".equals(d.get("condition"))) {
                        oneShot.add(name);
                    }
                });
            }
        });
        assertThat(oneShot).containsExactlyInAnyOrder("topics", "cluster-acls", "cluster-topics");
        for (var e : services.entrySet()) {
            if (oneShot.contains(e.getKey())) {
                continue;
            }
            Map<String, Object> check = (Map<String, Object>) e.getValue().get("healthcheck");
            assertThat(check).as("%s has a healthcheck", e.getKey()).isNotNull();
            assertThat((List<Object>) check.get("test")).as("%s's health check", e.getKey()).isNotEmpty();
            if (isOurs(e.getValue())) {
                Map<String, Object> env = (Map<String, Object>) e.getValue().get("environment");
                String command = healthCommand(e.getValue());
                String portKey = env.keySet().stream().filter(k -> command.contains("${" + k + "}")).findFirst()
                        .orElseThrow(() -> new AssertionError(e.getKey() + "'s health check names none of its own keys: " + command));
                assertThat(portKey).as("%s's health check uses its HTTP port key", e.getKey()).endsWith("_PORT");
                assertThat(command).contains("GET /health ");
            }
        }
    }

    /**
     * The check is a bash one-liner (the image has no curl): run it, as the container would, against
     * a real HttpServer on a free port. UP answers 200 and passes; a DOWN check (503) and a closed
     * port both fail.
     */
    @Test
    void the_health_check_command_passes_only_for_a_ready_service() throws Exception {
        Path bash = Path.of("/bin/bash");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(bash), "needs bash, as the image has");
        for (var e : services.entrySet()) {
            if (!isOurs(e.getValue()) || !e.getValue().containsKey("healthcheck")) {
                continue;
            }
            String command = healthCommand(e.getValue());
            String portKey = command.replaceAll("(?s).*\\$\\{([A-Z_]+)}.*", "$1");
            AtomicBoolean up = new AtomicBoolean(true);
            Health health = new Health().register("loop", () -> up.get() ? Health.Check.up("consuming") : Health.Check.down("failed"));
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            HttpServer server = HttpServer.start("127.0.0.1", 0, health, meters, routes -> { });
            int port = server.port();
            try {
                assertThat(runCheck(command, portKey, port)).as("%s: check of a ready service", e.getKey()).isZero();
                up.set(false);
                assertThat(runCheck(command, portKey, port)).as("%s: check of a DOWN service", e.getKey()).isNotZero();
            } finally {
                server.close();
                meters.close();
            }
            assertThat(runCheck(command, portKey, port)).as("%s: check of a closed port", e.getKey()).isNotZero();
        }
    }

    // --- the "cluster" profile: three brokers, SASL/SCRAM, ACLs, one principal per service ---------------------

    private static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(String service) {
        return (Map<String, Object>) services.get(service).get("environment");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> profiles(Map<String, Object> service) {
        Object p = service.get("profiles");
        return p instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** Plain `docker compose up` is what it was: the single broker and the services without a profile. */
    @Test
    void the_cluster_profile_leaves_plain_up_alone() {
        List<String> plain = services.entrySet().stream().filter(e -> profiles(e.getValue()).isEmpty()).map(Map.Entry::getKey).toList();
        assertThat(plain).containsExactlyInAnyOrder("kafka", "topics", "solver", "handbook", "coordinator", "publisher", "monitor",
                "offers");
        for (var e : services.entrySet()) {
            List<Object> p = profiles(e.getValue());
            if (!p.isEmpty()) {
                assertThat(p).as("%s's profiles", e.getKey()).containsExactly("cluster");
                if (e.getValue().get("depends_on") instanceof Map<?, ?> deps) {
                    deps.keySet().forEach(d -> assertThat(profiles(services.get(String.valueOf(d))))
                            .as("%s depends on %s, which runs in the same profile", e.getKey(), d).containsExactly("cluster"));
                }
            }
        }
    }

    @Test
    void three_brokers_replicate_three_ways_and_authorize_every_request() {
        Set<String> nodeIds = new HashSet<>();
        for (String broker : BROKERS) {
            Map<String, Object> env = env(broker);
            assertThat(String.valueOf(services.get(broker).get("image"))).isEqualTo(String.valueOf(services.get("kafka").get("image")));
            nodeIds.add(String.valueOf(env.get("KAFKA_NODE_ID")));
            assertThat(String.valueOf(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")))
                    .isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
            assertThat(env).containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3").containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                    .containsEntry("KAFKA_AUTHORIZER_CLASS_NAME", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                    .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false")
                    .containsEntry("KAFKA_SUPER_USERS", "User:admin")
                    .containsEntry("KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512");
            // every listener authenticates: no PLAINTEXT (ANONYMOUS) listener, so no request goes unauthorized
            for (String mapping : String.valueOf(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).split(",")) {
                assertThat(mapping.substring(mapping.indexOf(':') + 1)).as("%s listener %s", broker, mapping).startsWith("SASL_");
            }
            assertThat(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS"))).contains("CLIENT://" + broker + ":9092");
        }
        assertThat(nodeIds).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(env("cluster-topics")).containsEntry("TOPIC_REPLICATION", "3");
        assertThat(command(services.get("cluster-topics"))).containsExactly("tapipeline.app.CreateTopics");
    }

    /**
     * The brokers' KAFKA_* variables are broker properties (the apache/kafka image's naming: drop
     * KAFKA_, lower-case, ___ is -, __ is _, _ is .), so a misspelt one cannot pass unnoticed as an
     * ignored setting; listener- and mechanism-prefixed ones are checked without their prefix.
     */
    @Test
    void the_brokers_settings_are_kafka_broker_properties() {
        Set<String> known = new HashSet<>(org.apache.kafka.server.config.AbstractKafkaConfig.CONFIG_DEF.names());
        known.add(org.apache.kafka.metadata.authorizer.StandardAuthorizer.SUPER_USERS_CONFIG);
        known.add(org.apache.kafka.metadata.authorizer.StandardAuthorizer.ALLOW_EVERYONE_IF_NO_ACL_IS_FOUND_CONFIG);
        for (String broker : BROKERS) {
            Map<String, Object> env = env(broker);
            assertThat(env).containsKeys("CLUSTER_ID", "ADMIN_PASSWORD"); // the image's cluster id; the command's check
            for (String key : env.keySet()) {
                if (key.equals("CLUSTER_ID") || key.equals("ADMIN_PASSWORD")) {
                    continue;
                }
                assertThat(key).as("%s: %s", broker, key).startsWith("KAFKA_");
                String property = key.substring("KAFKA_".length()).toLowerCase(java.util.Locale.ROOT)
                        .replace("___", "\u0001").replace("__", "\u0002").replace('_', '.')
                        .replace('\u0001', '-').replace('\u0002', '_');
                String base = property.replaceFirst("^listener\\.name\\.[a-z]+\\.", "")
                        .replaceFirst("^(plain|scram-sha-256|scram-sha-512)\\.", "");
                assertThat(known).as("%s: %s (%s) is a broker property", broker, key, property).contains(base);
            }
        }
    }

    /**
     * Each service of the cluster profile signs in as its own principal (its ServiceModule's
     * KafkaAccess), with SCRAM, its password from the environment (never in this file), and the ACL
     * container creates exactly those users from the same variables and runs the generated script.
     */
    @Test
    @SuppressWarnings("unchecked")
    void every_service_signs_in_as_its_own_principal_with_a_password_from_the_environment() throws Exception {
        List<String> principals = new ArrayList<>();
        for (ServiceModule m : ServiceLoader.load(ServiceModule.class)) {
            String principal = m.kafkaAccess().principal();
            List<String> containers = services.entrySet().stream()
                    .filter(e -> profiles(e.getValue()).contains("cluster") && !command(e.getValue()).isEmpty()
                            && m.getClass().getName().equals(command(e.getValue()).get(0)))
                    .map(Map.Entry::getKey).toList();
            assertThat(containers).as("a cluster-profile container runs %s", m.name()).hasSize(1);
            Map<String, Object> env = env(containers.get(0));
            assertThat(env).as(containers.get(0)).containsEntry("KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                    .containsEntry("KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("TOPIC_REPLICATION", "3");
            assertThat(String.valueOf(env.get("KAFKA_BOOTSTRAP_SERVERS"))).isEqualTo("kafka-1:9092,kafka-2:9092,kafka-3:9092");
            assertThat(String.valueOf(env.get("KAFKA_CLIENT_SASL_JAAS_CONFIG"))).as("%s's credentials", containers.get(0))
                    .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
                            + "\" password=\"${" + tapipeline.platform.kafka.access.AclPlan.passwordVariable(principal) + ":-}\";");
            principals.add(principal);
        }
        assertThat(principals).hasSize(6);

        Map<String, Object> acls = env("cluster-acls");
        for (var a : tapipeline.platform.kafka.access.AclPlan.discover()) {
            String var = tapipeline.platform.kafka.access.AclPlan.passwordVariable(a.principal());
            assertThat(acls).as("cluster-acls passes %s's password on", a.principal()).containsEntry(var, "${" + var + ":-}");
        }
        List<Object> cmd = command(services.get("cluster-acls"));
        assertThat(String.valueOf(cmd.get(cmd.size() - 1))).contains("exec bash /deploy/kafka-acls.sh");
        assertThat((List<Object>) services.get("cluster-acls").get("volumes")).contains("./deploy:/deploy:ro");
        assertThat(Path.of("..", "deploy", "kafka-acls.sh")).exists();
    }

    /** No password or JAAS secret is written into the file: each is a ${VARIABLE} the shell supplies. */
    @Test
    void no_secret_is_written_in_the_compose_file() throws Exception {
        String text = Files.readString(Path.of("..", "docker-compose.yml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("password=\"([^\"]*)\"").matcher(text);
        int seen = 0;
        while (m.find()) {
            assertThat(m.group(1)).as("a password in docker-compose.yml").matches("\\$\\{[A-Z_]+:-}|%s");
            seen++;
        }
        assertThat(seen).as("passwords named in the file").isGreaterThanOrEqualTo(8);
        for (var e : services.entrySet()) {
            Map<String, Object> env = (Map<String, Object>) (Map<?, ?>) e.getValue().getOrDefault("environment", Map.of());
            env.forEach((k, v) -> {
                if (k.contains("PASSWORD") || k.contains("SECRET")) {
                    assertThat(String.valueOf(v)).as("%s: %s", e.getKey(), k).matches("\\$\\{[A-Z_]+:-}");
                }
            });
        }
    }

    private static int runCheck(String command, String portKey, int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(portKey, Integer.toString(port));
        Process p = pb.start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("health check finished").isTrue();
        return p.exitValue();
    }

    /** The shell command of a CMD ["bash", "-c", ...] check, with compose's $$ escape undone. */
    @SuppressWarnings("unchecked")
    private static String healthCommand(Map<String, Object> service) {
        List<Object> test = (List<Object>) ((Map<String, Object>) service.get("healthcheck")).get("test");
        assertThat(test.subList(0, 3)).isEqualTo(List.of("CMD", "bash", "-c"));
        return String.valueOf(test.get(3)).replace("$$", "$");
    }

    /** Compose's ${VAR:-default} with VAR unset. */
    private static String withDefaults(String text) {
        return text.replaceAll("\\$\\{[A-Za-z_][A-Za-z0-9_]*:-([^}]*)}", "$1");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> command(Map<String, Object> service) {
        Object c = service.get("command");
        return c instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static boolean isOurs(Map<String, Object> service) {
        return service.containsKey("build");
    }
}
