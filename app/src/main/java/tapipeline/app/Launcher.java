package tapipeline.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.ConfigException;
import tapipeline.platform.config.PlatformConfig;
import tapipeline.platform.kafka.ClientProperties;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.service.ProcessExit;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.service.SampleData;
import tapipeline.platform.service.ServiceModule;

/**
 * Runs the whole system on one machine: an embedded KRaft broker (unless KAFKA_BOOTSTRAP_SERVERS
 * names a cluster), every topic, every service module on the classpath, and the sample data.
 * Ctrl-C stops the services, then the broker; the next start reuses the same data directory. A
 * service that fails fatally stops everything the same way, with exit status {@value ProcessExit#STATUS}.
 */
@Command(name = "tapipeline", mixinStandardHelpOptions = true,
        description = "Starts the TA-assignment and handbook pipeline with an embedded Kafka broker and sample data.")
public final class Launcher implements AutoCloseable, Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(Launcher.class);

    @Option(names = "--data-dir", description = "Where the embedded broker keeps its log (default: DATA_DIR or ./data).")
    Path dataDir;

    @Option(names = "--no-sample-data", description = "Do not load the sample department and program content.")
    boolean noSampleData;

    @Option(names = "--kafka", description = "Use this Kafka cluster instead of an embedded broker (host:port,...).")
    String kafka;

    private EmbeddedBroker broker;
    private final List<RunningService> running = new ArrayList<>();
    private final Map<String, String> urls = new LinkedHashMap<>();
    private Config config;

    public static void main(String[] args) {
        int code = new CommandLine(new Launcher()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        // one service that cannot go on stops the whole launcher with exit status 70, naming the
        // service in the log, rather than leaving a half-working system up
        ProcessExit.install();
        Map<String, String> overrides = new HashMap<>();
        if (dataDir != null) {
            overrides.put(PlatformConfig.DATA_DIR.name(), dataDir.toString());
        }
        if (kafka != null) {
            overrides.put(PlatformConfig.KAFKA_BOOTSTRAP_SERVERS.name(), kafka);
        }
        try {
            start(Config.fromEnvironment().with(overrides), !noSampleData);
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            close();
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping...");
            close();
            stopped.countDown();
        }, "launcher-shutdown"));
        printBanner();
        stopped.await();
        return 0;
    }

    /** Starts everything; used by {@link #call()} and by tests. */
    public Launcher start(Config baseConfig, boolean loadSampleData) throws Exception {
        String bootstrap = baseConfig.get(PlatformConfig.KAFKA_BOOTSTRAP_SERVERS);
        if (bootstrap.isBlank()) {
            requireEmbeddedBroker();
            Path kafkaDir = baseConfig.get(PlatformConfig.DATA_DIR).resolve("kafka");
            log.info("starting embedded Kafka broker in {}", kafkaDir.toAbsolutePath());
            broker = EmbeddedBroker.start(kafkaDir, baseConfig.get(PlatformConfig.EMBEDDED_KAFKA_PORT));
            bootstrap = broker.bootstrapServers();
            if (!ClientProperties.from(baseConfig).isEmpty()) {
                log.warn("KAFKA_CLIENT_* properties apply to the clients of the embedded broker too, which listens"
                        + " in plaintext; set KAFKA_BOOTSTRAP_SERVERS to use them with a secured cluster");
            }
        }
        config = baseConfig.with(Map.of(PlatformConfig.KAFKA_BOOTSTRAP_SERVERS.name(), bootstrap));
        urls.put("Kafka bootstrap servers", bootstrap);

        KafkaClients clients = KafkaClients.from(config);
        CreateTopics.ensure(config);

        List<ServiceModule> modules = new ArrayList<>();
        ServiceLoader.load(ServiceModule.class).forEach(modules::add);
        modules.sort(Comparator.comparingInt(ServiceModule::startOrder).thenComparing(ServiceModule::name));
        for (ServiceModule module : modules) {
            log.info("starting service {}", module.name());
            RunningService service = module.start(config);
            running.add(service);
            urls.putAll(service.urls());
        }

        if (loadSampleData) {
            List<SampleData> samples = new ArrayList<>();
            ServiceLoader.load(SampleData.class).forEach(samples::add);
            for (SampleData sample : samples) {
                sample.load(config, clients);
                urls.putAll(sample.banner());
            }
        }
        return this;
    }

    /**
     * The broker module is a provided dependency of this one: on ./run's classpath, not in the
     * container image. Without it, say what to do instead of a NoClassDefFoundError.
     */
    private static void requireEmbeddedBroker() {
        try {
            Class.forName("tapipeline.embedded.EmbeddedKafka", false, Launcher.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException("configuration key " + PlatformConfig.KAFKA_BOOTSTRAP_SERVERS.name()
                    + ": empty, and this classpath has no embedded broker (module embedded-kafka; the container"
                    + " image carries none): name a Kafka cluster (host:port,...)");
        }
    }

    public Map<String, String> urls() {
        return Map.copyOf(urls);
    }

    public List<RunningService> services() {
        return List.copyOf(running);
    }

    public Config config() {
        return config;
    }

    private void printBanner() {
        StringBuilder sb = new StringBuilder("\n  TA pipeline is running. Press Ctrl-C to stop.\n\n");
        urls.forEach((label, url) -> sb.append(String.format("    %-28s %s%n", label, url)));
        System.out.println(sb);
    }

    /** Stops services in reverse start order, then the embedded broker. Safe to call twice. */
    @Override
    public synchronized void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (RuntimeException e) {
                log.warn("error stopping {}: {}", running.get(i).name(), e.toString());
            }
        }
        running.clear();
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
