package tapipeline.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker+controller) in a child JVM, run from the
 * {@code kafka_2.13} jars on this JVM's classpath.
 *
 * <p>Everything lives in the data directory: the persisted cluster id and ports
 * ({@value #STATE_FILE}), the generated {@code server.properties}, the log segments
 * ({@code logs/}), the broker's stdout/stderr ({@value #LOG_FILE}) and the child's pid
 * ({@value #PID_FILE}). Storage is formatted only on the first start; {@link #stop()} then
 * {@link #start()} on the same directory keeps every record, committed offset and the cluster id,
 * and reuses the same ports, so {@link #bootstrapServers()} does not change.
 *
 * <p>No orphan broker: the child exits when its stdin reaches end-of-file, which happens when this
 * JVM dies in any way (see {@link BrokerProcessMain}); a shutdown hook here also stops it cleanly on
 * a normal exit; and a start finds and kills a broker left over on the same data directory.
 *
 * <p>Broker logging goes through SLF4J to Logback (when it is on the classpath) with a generated
 * config at INFO; a Log4j 2 config ({@code log4j2.configurationFile}) is generated too, for a
 * classpath where SLF4J binds to Log4j 2 instead. After an unclean end (broker killed with SIGKILL)
 * the next start takes about 9 s longer: the controller first lets the old registration's session
 * ({@code broker.session.timeout.ms}) expire.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(Path.of("data/kafka")).build().start()) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Persisted across restarts: cluster id and the two ports. */
    public static final String STATE_FILE = "embedded-kafka.properties";
    /** The broker's stdout and stderr, appended across restarts. */
    public static final String LOG_FILE = "broker.log";
    /** The pid of the running broker child process. */
    public static final String PID_FILE = "broker.pid";
    /** Default for {@code message.max.bytes}: 20 MiB, so handbook PDFs fit in one record. */
    public static final int DEFAULT_MESSAGE_MAX_BYTES = 20 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = NodeProcess.HOST;
    private static final int NODE_ID = 1;
    /** Name of the SASL_PLAINTEXT listener, when there is one. */
    private static final String SASL_LISTENER = "SASL";

    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final int requestedBrokerPort;
    private final int requestedControllerPort;
    private final int requestedSaslPort;
    private final String scramMechanism;
    private final Map<String, String> scramUsers;
    private final Map<String, String> extraBrokerProperties;
    private final List<String> jvmOptions;
    private final Duration startupTimeout;
    private final Duration shutdownTimeout;
    private final String classpathOverride;

    private final NodeProcess node;
    // volatile: the getters do not wait for a start() in progress on another thread
    private volatile int brokerPort;
    private volatile int controllerPort;
    private volatile int saslPort;
    private volatile String clusterId;
    private boolean closed;


    private EmbeddedKafka(Builder b) throws IOException {
        this.deleteDataDirOnClose = b.dataDir == null;
        this.dataDir = NodeProcess.dataDirOrTemp(b.dataDir, "embedded-kafka-");
        this.requestedBrokerPort = b.brokerPort;
        this.requestedControllerPort = b.controllerPort;
        this.requestedSaslPort = b.saslPort;
        this.scramMechanism = b.scramMechanism;
        this.scramUsers = Map.copyOf(b.scramUsers);
        this.extraBrokerProperties = Map.copyOf(b.brokerProperties);
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.startupTimeout = b.startupTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.classpathOverride = b.classpath;
        this.node = new NodeProcess(dataDir, LOG_FILE, PID_FILE, "broker", shutdownTimeout, b.stopOnJvmExit);
    }

    /** A builder with defaults: temp data directory, free loopback ports, 90 s startup timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the broker (formatting the data directory first if it is new) and returns when it
     * answers a describeCluster request. Does nothing if already running.
     *
     * @throws IllegalStateException if the broker does not become ready in time (the message holds
     *     the tail of the broker log), or if the data directory is in use by another live owner
     */
    public synchronized EmbeddedKafka start() {
        if (closed) {
            throw new IllegalStateException("EmbeddedKafka on " + dataDir + " is closed");
        }
        if (isRunning()) {
            return this;
        }
        stop(); // a broker that died on its own: drop its hook and pid file
        try {
            Files.createDirectories(dataDir);
            node.killStale();
            Properties state = NodeProcess.readPropertiesIfExists(dataDir.resolve(STATE_FILE));
            boolean formatted = node.formatted();
            clusterId = node.formattedClusterId()
                    .orElseGet(() -> state.getProperty("cluster.id", Uuid.randomUuid().toString()));
            brokerPort = NodeProcess.resolvePort(requestedBrokerPort, state.getProperty("broker.port"), -1);
            controllerPort = NodeProcess.resolvePort(requestedControllerPort, state.getProperty("controller.port"), brokerPort);
            if (scramMechanism != null) {
                saslPort = NodeProcess.resolvePort(requestedSaslPort, state.getProperty("sasl.port"), brokerPort, controllerPort);
            }
            saveState();
            NodeProcess.ensureBindable(brokerPort, "broker");
            NodeProcess.ensureBindable(controllerPort, "controller");
            if (scramMechanism != null) {
                NodeProcess.ensureBindable(saslPort, "SASL");
            }

            Path serverProperties = writeServerProperties();
            long logOffset = node.startMarker(formatted);
            Instant begin = Instant.now();
            node.launch(serverProperties, formatted ? null : clusterId, List.of(), jvmOptions, classpathOverride);
            awaitReady(begin, logOffset);
            if (scramMechanism != null && !scramUsers.isEmpty()) {
                NodeProcess.upsertScramUsers(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
                        scramMechanism, scramUsers);
                log.info("SCRAM users {} ({}) on {}", new java.util.TreeSet<>(scramUsers.keySet()), scramMechanism,
                        saslBootstrapServers());
            }
            log.info("Kafka broker ready at {} (pid {}, cluster {}, data {}, {} in {} ms)", bootstrapServers(),
                    node.pid().orElse(-1L), clusterId, dataDir, formatted ? "restart" : "formatted",
                    Duration.between(begin, Instant.now()).toMillis());
            return this;
        } catch (IOException e) {
            stopQuietly();
            throw new UncheckedIOException("cannot start embedded Kafka in " + dataDir, e);
        } catch (RuntimeException e) {
            stopQuietly();
            throw e;
        }
    }

    /**
     * Stops the broker: SIGTERM, then waits for Kafka's clean shutdown; kills it forcibly after the
     * shutdown timeout. The data directory is kept. Does nothing if not running.
     */
    public synchronized void stop() {
        node.stop();
    }

    /** Stops the broker; deletes the data directory only if it was a temp directory made here. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        if (deleteDataDirOnClose) {
            NodeProcess.deleteRecursively(dataDir);
        }
    }

    /** {@code 127.0.0.1:<port>}; the port stays the same across restarts on the same data directory. */
    public String bootstrapServers() {
        int port = brokerPort;
        if (port == 0) {
            throw new IllegalStateException("the broker has not been started yet");
        }
        return HOST + ":" + port;
    }

    /**
     * {@code 127.0.0.1:<port>} of the SASL_PLAINTEXT listener that takes SCRAM credentials, when the
     * builder asked for one ({@link Builder#scramListener}).
     */
    public String saslBootstrapServers() {
        if (scramMechanism == null) {
            throw new IllegalStateException("this broker has no SASL listener; build it with scramListener(...)");
        }
        int port = saslPort;
        if (port == 0) {
            throw new IllegalStateException("the broker has not been started yet");
        }
        return HOST + ":" + port;
    }

    /** {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}, if the broker has a SASL listener. */
    public Optional<String> scramMechanism() {
        return Optional.ofNullable(scramMechanism);
    }

    /**
     * The client properties that sign in to the SASL listener as {@code user}: security.protocol,
     * sasl.mechanism and sasl.jaas.config (which holds the password: do not log it).
     */
    public Map<String, String> scramClientProperties(String user, String password) {
        if (scramMechanism == null) {
            throw new IllegalStateException("this broker has no SASL listener; build it with scramListener(...)");
        }
        return NodeProcess.scramClientProperties(scramMechanism, user, password);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The KRaft cluster id, fixed when the data directory was formatted. */
    public String clusterId() {
        String id = clusterId;
        if (id == null) {
            throw new IllegalStateException("the broker has not been started yet");
        }
        return id;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public boolean isRunning() {
        return node.isRunning();
    }

    /** The pid of the broker child process, if running. */
    public Optional<Long> pid() {
        return node.pid();
    }

    /** The file that receives the broker's stdout and stderr. */
    public Path logFile() {
        return node.logFile();
    }

    // ---------------------------------------------------------------- start

    private void saveState() throws IOException {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("cluster.id", clusterId);
        state.put("broker.port", Integer.toString(brokerPort));
        state.put("controller.port", Integer.toString(controllerPort));
        if (saslPort > 0) {
            state.put("sasl.port", Integer.toString(saslPort));
        }
        NodeProcess.writeProperties(dataDir.resolve(STATE_FILE), state, "embedded Kafka: kept across restarts of this data directory");
    }

    private Path writeServerProperties() throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        if (scramMechanism == null) {
            p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            // a SASL_PLAINTEXT listener beside the plaintext one; broker-to-broker and controller
            // traffic stays plaintext on loopback. Credentials live in the cluster metadata.
            p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + "," + SASL_LISTENER + "://" + HOST + ":" + saslPort
                    + ",CONTROLLER://" + HOST + ":" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + "," + SASL_LISTENER + "://" + HOST + ":" + saslPort);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT," + SASL_LISTENER + ":SASL_PLAINTEXT");
            String listener = "listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
            p.put(listener + "sasl.enabled.mechanisms", scramMechanism);
            p.put(listener + scramMechanism.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            p.put("sasl.enabled.mechanisms", scramMechanism);
        }
        p.putAll(NodeProcess.commonServerProperties(dataDir, 1, 1));
        p.putAll(extraBrokerProperties);
        Path file = dataDir.resolve("server.properties");
        NodeProcess.writeProperties(file, p, "generated by EmbeddedKafka on every start; edit its builder instead");
        return file;
    }

    private void awaitReady(Instant begin, long logOffset) {
        Instant deadline = begin.plus(startupTimeout);
        node.awaitPort(brokerPort, deadline, startupTimeout, logOffset);
        NodeProcess.awaitCluster(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()), clusterId,
                nodes -> !nodes.isEmpty(), "any node", reason -> {
                    node.checkAlive(logOffset);
                    node.checkDeadline(deadline, startupTimeout, logOffset, reason);
                });
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            log.warn("error while stopping the embedded Kafka broker", e);
        }
    }

    /** Options for {@link EmbeddedKafka}; every setter is optional. */
    public static final class Builder {
        private Path dataDir;
        private int brokerPort;
        private int controllerPort;
        private int saslPort;
        private String scramMechanism;
        private final Map<String, String> scramUsers = new LinkedHashMap<>();
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private Duration startupTimeout = Duration.ofSeconds(90);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private boolean stopOnJvmExit = true;
        private String classpath;

        private Builder() {
        }

        /** Where the broker keeps everything; created if missing. Default: a new temp directory deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** Client port on 127.0.0.1; 0 (default) = the port persisted in the data dir, else a free one. */
        public Builder brokerPort(int port) {
            this.brokerPort = checkPort(port);
            return this;
        }

        /** KRaft controller port on 127.0.0.1; 0 (default) = persisted, else free. */
        public Builder controllerPort(int port) {
            this.controllerPort = checkPort(port);
            return this;
        }

        /**
         * Adds a SASL_PLAINTEXT listener on 127.0.0.1 that signs clients in with SCRAM
         * ({@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}); see {@link EmbeddedKafka#saslBootstrapServers()}.
         * The plaintext listener stays (the broker's own traffic and tests' admin clients use it).
         */
        public Builder scramListener(String mechanism) {
            this.scramMechanism = NodeProcess.checkScramMechanism(Objects.requireNonNull(mechanism, "mechanism"));
            return this;
        }

        /** Port of the SASL listener; 0 (default) = persisted, else free. */
        public Builder saslPort(int port) {
            this.saslPort = checkPort(port);
            return this;
        }

        /** A SCRAM user created (or its password reset) on every start; needs {@link #scramListener}. */
        public Builder scramUser(String name, String password) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(password, "password");
            if (name.isEmpty() || password.isEmpty()) {
                throw new IllegalArgumentException("a SCRAM user needs a name and a password");
            }
            scramUsers.put(name, password);
            return this;
        }

        /** A broker property added to (or overriding) the generated server.properties. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /** An extra option for the broker JVM, e.g. {@code -Xmx1g} (the last -Xmx wins). */
        public Builder jvmOption(String option) {
            jvmOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /** How long {@link EmbeddedKafka#start()} waits for the broker to serve. Default 90 s. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = requirePositive(timeout);
            return this;
        }

        /** How long {@link EmbeddedKafka#stop()} waits after SIGTERM before killing. Default 30 s. */
        /**
         * Whether to stop the broker from a JVM shutdown hook (default true). An owner that stops
         * its clients first and the broker last, from its own hook, turns this off: JVM hooks run
         * concurrently, so the broker's own hook would pull it away from clients still closing.
         * (If the owner dies without running hooks, the broker still exits: its stdin closes.)
         */
        public Builder stopOnJvmExit(boolean stop) {
            this.stopOnJvmExit = stop;
            return this;
        }

        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = requirePositive(timeout);
            return this;
        }

        /**
         * The child JVM's classpath, when this JVM's own cannot be found (e.g. a custom class
         * loader). It must hold this module and {@code kafka_2.13} with its dependencies.
         */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath, "classpath");
            return this;
        }

        /** Builds an instance; call {@link EmbeddedKafka#start()} to run it. */
        public EmbeddedKafka build() {
            if (!scramUsers.isEmpty() && scramMechanism == null) {
                throw new IllegalStateException("SCRAM users " + scramUsers.keySet() + " need a scramListener(...)");
            }
            try {
                return new EmbeddedKafka(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temp directory for embedded Kafka", e);
            }
        }

        private static int checkPort(int port) {
            return NodeProcess.checkPort(port);
        }

        private static Duration requirePositive(Duration d) {
            return NodeProcess.requirePositive(d);
        }
    }
}
