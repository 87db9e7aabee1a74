package tapipeline.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.embedded.KafkaCluster;
import tapipeline.platform.config.Config;
import tapipeline.platform.config.PlatformConfig;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.access.AclPlan;
import tapipeline.platform.kafka.access.KafkaAccess;
import tapipeline.platform.service.SampleData;
import tapipeline.platform.service.ServiceModule;

/**
 * The whole system scaled out on one machine, as it would run on a real cluster: a {@link KafkaCluster}
 * of separate broker processes (KRaft, SASL/SCRAM, the standard authorizer), one SCRAM principal per
 * service with exactly the ACLs its {@link ServiceModule#kafkaAccess()} declares ({@link AclPlan}), every
 * topic with replication factor 3 and {@code min.insync.replicas} 2, and each service as one or more
 * separate JVM processes ({@link ServiceProcess}) with distinct {@code INSTANCE_ID}s, configured only
 * through the environment. The topic step and the sample data run as the cluster's admin, as a
 * deployment's init job would. Used by the scale-out tests and benchmarks.
 */
public final class ScaleOutCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScaleOutCluster.class);
    /** The environment keys of the services' HTTP ports: 0 lets each instance pick a free one. */
    private static final List<String> PORT_KEYS = List.of("SOLVER_PORT", "HANDBOOK_PORT", "COORDINATOR_PORT",
            "SITE_PORT", "MONITOR_PORT", "OFFERS_PORT");
    private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(4);

    private final Builder spec;
    private final Map<String, ServiceModule> modules = new TreeMap<>();
    private final Map<String, String> passwords = new TreeMap<>();
    private final Map<String, List<ServiceProcess>> instances = new LinkedHashMap<>();
    private final Map<String, Integer> started = new HashMap<>();
    private final String sessionSecret = secret();
    private KafkaCluster kafka;

    private ScaleOutCluster(Builder spec) {
        this.spec = spec;
        ServiceLoader.load(ServiceModule.class).forEach(m -> modules.put(m.name(), m));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts brokers, principals, ACLs, topics, sample data, then every instance; returns when all are healthy. */
    public ScaleOutCluster start() throws Exception {
        long begin = System.nanoTime();
        Files.createDirectories(spec.dataDir);
        kafka = KafkaCluster.builder().nodes(spec.brokers).dataDir(spec.dataDir.resolve("kafka")).build().start();
        log.info("{} brokers ready at {} in {} ms", spec.brokers, kafka.bootstrapServers(), ms(begin));

        List<KafkaAccess> access = new ArrayList<>();
        for (ServiceModule module : modules.values()) {
            KafkaAccess a = module.kafkaAccess();
            access.add(a);
            passwords.put(a.principal(), secret());
        }
        kafka.createUsers(passwords);
        kafka.createAcls(AclPlan.bindings(access));

        Config admin = adminConfig();
        try (Admin a = KafkaClients.from(admin).admin()) {
            new TopicAdmin(a, spec.partitions, (short) Math.min(3, spec.brokers)).ensure(Topics.allWithDeadLetters());
        }
        if (spec.sampleData) {
            for (SampleData sample : ServiceLoader.load(SampleData.class)) {
                sample.load(admin, KafkaClients.from(admin));
            }
        }
        log.info("principals, ACLs, topics{} ready in {} ms", spec.sampleData ? ", sample data" : "", ms(begin));

        List<ServiceProcess> all = new ArrayList<>();
        spec.instances.forEach((service, count) -> {
            for (int i = 0; i < count; i++) {
                all.add(launch(service));
            }
        });
        awaitHealthy(all);
        log.info("{} service instances healthy in {} ms", all.size(), ms(begin));
        return this;
    }

    private synchronized ServiceProcess launch(String service) {
        ServiceModule module = modules.get(service);
        if (module == null) {
            throw new IllegalArgumentException("no service module named " + service + "; known: " + modules.keySet());
        }
        int n = started.merge(service, 1, Integer::sum);
        String instanceId = service + "-" + n;
        Map<String, String> env = new TreeMap<>(serviceEnv(module.kafkaAccess().principal()));
        env.put(PlatformConfig.DATA_DIR.name(), spec.dataDir.resolve("instances").resolve(instanceId).toString());
        PORT_KEYS.forEach(k -> env.put(k, "0"));
        env.put("WEB_SESSION_SECRET", sessionSecret);
        env.putAll(spec.env.getOrDefault(service, Map.of()));
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + spec.heaps.getOrDefault(service, "256m"), "-XX:+UseSerialGC",
                "-Xss512k", "-XX:+ExitOnOutOfMemoryError"));
        if (!service.equals("solver")) {
            jvm.add("-XX:TieredStopAtLevel=1"); // start faster; only the solver needs C2
        }
        ServiceProcess p = ServiceProcess.start(service, instanceId, mainClass(module), env, jvm,
                spec.dataDir.resolve("logs"));
        instances.computeIfAbsent(service, s -> new ArrayList<>()).add(p);
        return p;
    }

    /** The service's stand-alone main: the module class's own {@code main} (as the container image runs it). */
    private static String mainClass(ServiceModule module) {
        try {
            module.getClass().getMethod("main", String[].class);
            return module.getClass().getName();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("service module " + module.getClass().getName() + " has no main(String[])", e);
        }
    }

    private static void awaitHealthy(List<ServiceProcess> processes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, processes.size()));
        try {
            List<Future<ServiceProcess>> waits = new ArrayList<>();
            for (ServiceProcess p : processes) {
                waits.add(pool.submit(() -> p.awaitHealthy(HEALTHY_TIMEOUT)));
            }
            for (Future<ServiceProcess> w : waits) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The running (and stopped) instances of {@code service}, in start order. */
    public List<ServiceProcess> instances(String service) {
        return List.copyOf(instances.getOrDefault(service, List.of()));
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    /** Configuration of a client signed in as {@code principal} (a service's name). */
    public Config config(String principal) {
        Map<String, String> values = new HashMap<>(serviceEnv(principal));
        values.put(PlatformConfig.TOPIC_PARTITIONS.name(), Integer.toString(spec.partitions));
        return Config.of(values);
    }

    /** Kafka clients signed in as {@code principal}. */
    public KafkaClients clients(String principal) {
        return KafkaClients.from(config(principal));
    }

    /** Kafka clients signed in as the cluster's super user (topic step, sample data, test assertions). */
    public KafkaClients adminClients() {
        return KafkaClients.from(adminConfig());
    }

    private Config adminConfig() {
        Map<String, String> values = new HashMap<>(toEnv(kafka.adminClientProperties()));
        values.put(PlatformConfig.TOPIC_PARTITIONS.name(), Integer.toString(spec.partitions));
        values.put(PlatformConfig.TOPIC_REPLICATION.name(), Integer.toString(Math.min(3, spec.brokers)));
        return Config.of(values);
    }

    private Map<String, String> serviceEnv(String principal) {
        String password = passwords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException("no principal " + principal + "; known: " + passwords.keySet());
        }
        Map<String, String> env = new TreeMap<>(toEnv(kafka.clientProperties(principal, password)));
        env.put(PlatformConfig.TOPIC_PARTITIONS.name(), Integer.toString(spec.partitions));
        env.put(PlatformConfig.TOPIC_REPLICATION.name(), Integer.toString(Math.min(3, spec.brokers)));
        return env;
    }

    /** Kafka client properties as the platform's environment keys: bootstrap.servers, else KAFKA_CLIENT_<NAME>. */
    private static Map<String, String> toEnv(Map<String, String> clientProperties) {
        Map<String, String> env = new TreeMap<>();
        clientProperties.forEach((k, v) -> env.put(k.equals("bootstrap.servers") ? PlatformConfig.KAFKA_BOOTSTRAP_SERVERS.name()
                : "KAFKA_CLIENT_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
        if (!env.containsKey(PlatformConfig.KAFKA_BOOTSTRAP_SERVERS.name())) {
            throw new IllegalStateException("client properties without bootstrap.servers");
        }
        return env;
    }

    /** SIGTERM to every instance at once, then the brokers. */
    @Override
    public void close() {
        List<Thread> stops = new ArrayList<>();
        instances.values().forEach(list -> list.forEach(p -> {
            Thread t = new Thread(p::close, "stop-" + p.instanceId());
            t.start();
            stops.add(t);
        }));
        for (Thread t : stops) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String secret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static long ms(long beginNanos) {
        return (System.nanoTime() - beginNanos) / 1_000_000;
    }

    public static final class Builder {
        private Path dataDir;
        private int brokers = 3;
        private int partitions = 6;
        private boolean sampleData = true;
        private final Map<String, Integer> instances = new LinkedHashMap<>();
        private final Map<String, String> heaps = new HashMap<>(Map.of("solver", "512m", "handbook", "512m"));
        private final Map<String, Map<String, String>> env = new HashMap<>();

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder brokers(int n) {
            this.brokers = n;
            return this;
        }

        /** Partitions of every topic (TOPIC_PARTITIONS); more partitions allow more instances per group. */
        public Builder partitions(int n) {
            this.partitions = n;
            return this;
        }

        public Builder sampleData(boolean load) {
            this.sampleData = load;
            return this;
        }

        /** Runs {@code count} instances of {@code service} (its ServiceModule name), started in this order. */
        public Builder instances(String service, int count) {
            instances.put(service, count);
            return this;
        }

        public Builder heap(String service, String heap) {
            heaps.put(service, heap);
            return this;
        }

        /** An environment setting for every instance of {@code service}. */
        public Builder env(String service, String key, String value) {
            env.computeIfAbsent(service, s -> new HashMap<>()).put(key, value);
            return this;
        }

        public ScaleOutCluster build() {
            if (dataDir == null) {
                throw new IllegalStateException("dataDir is required");
            }
            return new ScaleOutCluster(this);
        }
    }
}
