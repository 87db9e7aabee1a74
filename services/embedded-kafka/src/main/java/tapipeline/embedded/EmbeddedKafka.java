package tapipeline.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
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
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String LOG_DIRS = "logs";
    /** Name of the SASL_PLAINTEXT listener, when there is one. */
    private static final String SASL_LISTENER = "SASL";
    /** Kafka's minimum (and kafka-configs' default) for SCRAM-SHA-256/512. */
    private static final int SCRAM_ITERATIONS = 4096;

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

    // volatile: the getters do not wait for a start() in progress on another thread
    private volatile Process process;
    private Thread shutdownHook;
    private final boolean stopOnJvmExit;
    private volatile int brokerPort;
    private volatile int controllerPort;
    private volatile int saslPort;
    private volatile String clusterId;
    private boolean closed;

    private EmbeddedKafka(Builder b) throws IOException {
        if (b.dataDir == null) {
            this.dataDir = Files.createTempDirectory("embedded-kafka-").toAbsolutePath();
            this.deleteDataDirOnClose = true;
        } else {
            this.dataDir = b.dataDir.toAbsolutePath().normalize();
            this.deleteDataDirOnClose = false;
        }
        this.requestedBrokerPort = b.brokerPort;
        this.requestedControllerPort = b.controllerPort;
        this.requestedSaslPort = b.saslPort;
        this.scramMechanism = b.scramMechanism;
        this.scramUsers = Map.copyOf(b.scramUsers);
        this.extraBrokerProperties = Map.copyOf(b.brokerProperties);
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.startupTimeout = b.startupTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.stopOnJvmExit = b.stopOnJvmExit;
        this.classpathOverride = b.classpath;
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
            killStaleBroker();
            Properties state = loadState();
            Path metaProperties = dataDir.resolve(LOG_DIRS).resolve("meta.properties");
            boolean formatted = Files.exists(metaProperties);
            clusterId = formatted
                    ? readProperties(metaProperties).getProperty("cluster.id")
                    : state.getProperty("cluster.id", Uuid.randomUuid().toString());
            brokerPort = resolvePort(requestedBrokerPort, state.getProperty("broker.port"), -1);
            controllerPort = resolvePort(requestedControllerPort, state.getProperty("controller.port"), brokerPort);
            if (scramMechanism != null) {
                saslPort = resolvePort(requestedSaslPort, state.getProperty("sasl.port"), brokerPort, controllerPort);
            }
            saveState();
            ensureBindable(brokerPort, "broker");
            ensureBindable(controllerPort, "controller");
            if (scramMechanism != null) {
                ensureBindable(saslPort, "SASL");
            }

            Path serverProperties = writeServerProperties();
            long logOffset = startMarker(formatted);
            Instant begin = Instant.now();
            process = launch(serverProperties, formatted ? null : clusterId);
            Files.writeString(dataDir.resolve(PID_FILE), Long.toString(process.pid()), StandardCharsets.US_ASCII);
            if (stopOnJvmExit) {
                shutdownHook = new Thread(this::stopFromHook, "embedded-kafka-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            awaitReady(begin, logOffset);
            if (scramMechanism != null) {
                createScramUsers();
            }
            log.info("Kafka broker ready at {} (pid {}, cluster {}, data {}, {} in {} ms)", bootstrapServers(),
                    process.pid(), clusterId, dataDir, formatted ? "restart" : "formatted",
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

    /** util-linux setsid, which runs the command in a new session in the same process (not a group leader). */
    private static Optional<String> setsid() {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Stops the broker: SIGTERM, then waits for Kafka's clean shutdown; kills it forcibly after the
     * shutdown timeout. The data directory is kept. Does nothing if not running.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        removeShutdownHook();
        terminate(process, shutdownTimeout);
        process = null;
        try {
            Files.deleteIfExists(dataDir.resolve(PID_FILE));
        } catch (IOException e) {
            log.warn("cannot delete {}", dataDir.resolve(PID_FILE), e);
        }
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
            deleteRecursively(dataDir);
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
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", scramMechanism);
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + jaasEscape(user) + "\" password=\"" + jaasEscape(password) + "\";");
        return p;
    }

    private static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
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
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The pid of the broker child process, if running. */
    public Optional<Long> pid() {
        Process p = process;
        return p != null && p.isAlive() ? Optional.of(p.pid()) : Optional.empty();
    }

    /** The file that receives the broker's stdout and stderr. */
    public Path logFile() {
        return dataDir.resolve(LOG_FILE);
    }

    // ---------------------------------------------------------------- start

    private Properties loadState() throws IOException {
        Path file = dataDir.resolve(STATE_FILE);
        return Files.exists(file) ? readProperties(file) : new Properties();
    }

    private void saveState() throws IOException {
        Properties state = new Properties();
        state.setProperty("cluster.id", clusterId);
        state.setProperty("broker.port", Integer.toString(brokerPort));
        state.setProperty("controller.port", Integer.toString(controllerPort));
        if (saslPort > 0) {
            state.setProperty("sasl.port", Integer.toString(saslPort));
        }
        writeProperties(dataDir.resolve(STATE_FILE), state, "embedded Kafka: kept across restarts of this data directory");
    }

    private static int resolvePort(int requested, String persisted, int... avoid) throws IOException {
        if (requested > 0) {
            return requested;
        }
        if (persisted != null && !persisted.isBlank()) {
            return Integer.parseInt(persisted.trim());
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                int port = socket.getLocalPort();
                if (java.util.Arrays.stream(avoid).noneMatch(a -> a == port)) {
                    return port;
                }
            }
        }
        throw new IOException("no free loopback port found");
    }

    private static void ensureBindable(int port, String role) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
        } catch (IOException e) {
            throw new IllegalStateException("the " + role + " port " + HOST + ":" + port
                    + " is already in use; stop whatever holds it or use another data directory", e);
        }
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
        p.put("log.dirs", dataDir.resolve(LOG_DIRS).toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", Integer.toString(DEFAULT_MESSAGE_MAX_BYTES));
        p.put("replica.fetch.max.bytes", Integer.toString(DEFAULT_MESSAGE_MAX_BYTES));
        p.putAll(extraBrokerProperties);
        Properties props = new Properties();
        props.putAll(p);
        Path file = dataDir.resolve("server.properties");
        writeProperties(file, props, "generated by EmbeddedKafka on every start; edit its builder instead");
        return file;
    }

    private long startMarker(boolean formatted) throws IOException {
        Path logFile = logFile();
        long offset = Files.exists(logFile) ? Files.size(logFile) : 0;
        Files.writeString(logFile, String.format("%n===== embedded-kafka %s at %s (owner pid %d) =====%n",
                        formatted ? "restart" : "first start", Instant.now(), ProcessHandle.current().pid()),
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return offset;
    }

    private Process launch(Path serverProperties, String formatClusterId) throws IOException {
        Path logback = dataDir.resolve("broker-logback.xml");
        Files.writeString(logback, LOGBACK_XML, StandardCharsets.UTF_8);
        Path log4j2 = dataDir.resolve("broker-log4j2.properties");
        Files.writeString(log4j2, LOG4J2_PROPERTIES, StandardCharsets.UTF_8);
        // the classpath goes through an argument file: it can be long, and the command line
        // stays readable in ps (it still names BrokerProcessMain and this data directory)
        String classpath = classpathOverride != null ? classpathOverride : ChildJvm.classpathString();
        Path argFile = dataDir.resolve("broker-classpath.args");
        Files.writeString(argFile, "-cp\n\"" + classpath.replace("\\", "\\\\") + "\"\n", StandardCharsets.UTF_8);

        List<String> command = new ArrayList<>();
        // its own session where setsid(1) exists: Ctrl-C in a terminal signals the whole foreground
        // process group, and the broker would stop while the services are still closing against it.
        // The owner stops it (stop(), after the services) and its stdin still guards against orphans.
        setsid().ifPresent(command::add);
        command.add(ChildJvm.javaBinary());
        command.add("@" + argFile);
        command.add("-Xmx512m");
        command.add("-XX:+UseG1GC");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Djava.awt.headless=true");
        command.add("-Dfile.encoding=UTF-8");
        // SLF4J goes to Logback when it is on the classpath (it is in the launcher and the tests), else to Log4j 2
        command.add("-Dlogback.configurationFile=" + logback);
        command.add("-Dlog4j2.configurationFile=" + log4j2);
        command.add("-Dkafka.logs.dir=" + dataDir);
        command.addAll(jvmOptions);
        command.add(BrokerProcessMain.class.getName());
        command.add(serverProperties.toString());
        if (formatClusterId != null) {
            command.add("--format");
            command.add(formatClusterId);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        // stdin stays a pipe held by this JVM: its end-of-file tells the child we are gone
        builder.environment().remove("KAFKA_OPTS");
        return builder.start();
    }

    private void awaitReady(Instant begin, long logOffset) {
        Instant deadline = begin.plus(startupTimeout);
        String bootstrap = bootstrapServers();
        // wait for the port first: an admin client against a closed port only logs warnings
        while (!portOpen(brokerPort)) {
            checkAlive(logOffset);
            checkDeadline(deadline, logOffset, "the broker port never opened");
            sleep(100);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
        String lastError = "no answer yet";
        try (Admin admin = Admin.create(props)) {
            while (true) {
                checkAlive(logOffset);
                checkDeadline(deadline, logOffset, "describeCluster did not succeed: " + lastError);
                try {
                    DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000));
                    String id = cluster.clusterId().get(10, TimeUnit.SECONDS);
                    if (!cluster.nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        if (!clusterId.equals(id)) {
                            throw new IllegalStateException("the broker at " + bootstrap + " reports cluster id " + id
                                    + " but " + dataDir + " holds " + clusterId + "; is another broker on that port?");
                        }
                        return;
                    }
                    lastError = "no nodes in the cluster description";
                } catch (ExecutionException | TimeoutException e) {
                    lastError = String.valueOf(e.getCause() != null ? e.getCause() : e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
                sleep(200);
            }
        }
    }

    /**
     * Creates (or updates) the builder's SCRAM users through the plaintext listener, and waits until
     * the broker describes every one of them, so a client signing in right after {@link #start()}
     * finds its credentials.
     */
    private void createScramUsers() {
        if (scramUsers.isEmpty()) {
            return;
        }
        ScramMechanism mechanism = ScramMechanism.fromMechanismName(scramMechanism);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-scram");
        try (Admin admin = Admin.create(props)) {
            List<UserScramCredentialAlteration> alterations = new ArrayList<>();
            scramUsers.forEach((user, password) -> alterations.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(mechanism, SCRAM_ITERATIONS), password)));
            admin.alterUserScramCredentials(alterations).all().get(30, TimeUnit.SECONDS);
            Instant deadline = Instant.now().plusSeconds(30);
            while (true) {
                Map<String, UserScramCredentialsDescription> described =
                        admin.describeUserScramCredentials(List.copyOf(scramUsers.keySet())).all().get(30, TimeUnit.SECONDS);
                if (described.keySet().containsAll(scramUsers.keySet())) {
                    log.info("SCRAM users {} ({}) on {}", new java.util.TreeSet<>(scramUsers.keySet()), scramMechanism,
                            saslBootstrapServers());
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the broker did not show the SCRAM users " + scramUsers.keySet()
                            + " within 30 s of creating them");
                }
                sleep(100);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the SCRAM users " + scramUsers.keySet() + " on "
                    + bootstrapServers() + ": " + (e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating SCRAM users", e);
        }
    }

    private void checkAlive(long logOffset) {
        if (!process.isAlive()) {
            throw new IllegalStateException("the Kafka broker process exited with code " + process.exitValue()
                    + " before it was ready; data dir " + dataDir + ", tail of " + logFile() + ":\n"
                    + tail(logFile(), logOffset, 60));
        }
    }

    private void checkDeadline(Instant deadline, long logOffset, String what) {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("the Kafka broker at " + HOST + ":" + brokerPort + " was not ready after "
                    + startupTimeout.toSeconds() + " s (" + what + "); data dir " + dataDir + ", tail of "
                    + logFile() + ":\n" + tail(logFile(), logOffset, 60));
        }
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- stale brokers

    /**
     * A broker recorded in the pid file that is still alive: when its owner is gone (an earlier
     * crashed run), kill it; when its owner is a live JVM, refuse to share the data directory.
     */
    private void killStaleBroker() throws IOException {
        Path pidFile = dataDir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            Files.deleteIfExists(pidFile);
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isPresent() && isOurBroker(handle.get())) {
            Optional<ProcessHandle> owner = handle.get().parent().filter(ProcessHandle::isAlive);
            if (owner.isPresent() && owner.get().pid() != 1 && isJava(owner.get())) {
                throw new IllegalStateException("the data directory " + dataDir + " is in use by broker pid " + pid
                        + " owned by the live JVM pid " + owner.get().pid() + "; stop that one first");
            }
            log.warn("killing stale Kafka broker pid {} left over on {}", pid, dataDir);
            terminate(handle.get(), shutdownTimeout);
        }
        Files.deleteIfExists(pidFile);
    }

    private boolean isOurBroker(ProcessHandle handle) {
        ProcessHandle.Info info = handle.info();
        String commandLine = info.commandLine().orElse(String.join(" ", info.arguments().orElse(new String[0])));
        return isJava(handle)
                && commandLine.contains(BrokerProcessMain.class.getName())
                && commandLine.contains(dataDir.toString());
    }

    private static boolean isJava(ProcessHandle handle) {
        return handle.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("java")).orElse(false);
    }

    // ---------------------------------------------------------------- stop

    private static void terminate(Process process, Duration timeout) {
        terminate(process.toHandle(), timeout);
        closeQuietly(process.getOutputStream());
        closeQuietly(process.getInputStream());
    }

    private static void terminate(ProcessHandle handle, Duration timeout) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy(); // SIGTERM: Kafka's shutdown hook runs
        if (!waitForExit(handle, timeout)) {
            log.warn("Kafka broker pid {} did not stop within {} s; killing it", handle.pid(), timeout.toSeconds());
            handle.destroyForcibly();
            waitForExit(handle, Duration.ofSeconds(10));
        }
    }

    private static boolean waitForExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    private void stopFromHook() {
        synchronized (this) {
            shutdownHook = null; // removing a hook while hooks run throws
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            log.warn("error while stopping the embedded Kafka broker", e);
        }
    }

    private void removeShutdownHook() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
            shutdownHook = null;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Properties readProperties(Path file) throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        }
        return props;
    }

    private static void writeProperties(Path file, Properties props, String comment) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            props.store(out, comment);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The last {@code lines} lines of the file from {@code fromOffset} on. */
    static String tail(Path file, long fromOffset, int lines) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = Math.max(fromOffset, length - 64 * 1024);
            raf.seek(Math.max(0, start));
            byte[] bytes = new byte[(int) (length - Math.max(0, start))];
            raf.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\\R");
            int from = Math.max(0, all.length - lines);
            return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing to do
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort for a temp directory
                }
            });
        } catch (IOException e) {
            log.warn("cannot delete {}", dir, e);
        }
    }

    private static final String LOGBACK_XML = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>[%d{ISO8601}] %-5level %msg \\(%logger{36}\\)%n</pattern></encoder>
              </appender>
              <logger name="state.change.logger" level="WARN"/>
              <logger name="kafka.request.logger" level="WARN"/>
              <logger name="org.apache.kafka.clients" level="WARN"/>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private static final String LOG4J2_PROPERTIES = """
            status = warn
            appender.out.type = Console
            appender.out.name = OUT
            appender.out.layout.type = PatternLayout
            appender.out.layout.pattern = [%d] %p %m (%c)%n
            logger.state.name = state.change.logger
            logger.state.level = WARN
            logger.request.name = kafka.request.logger
            logger.request.level = WARN
            rootLogger.level = INFO
            rootLogger.appenderRef.out.ref = OUT
            """;

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
            Objects.requireNonNull(mechanism, "mechanism");
            if (!mechanism.equals("SCRAM-SHA-256") && !mechanism.equals("SCRAM-SHA-512")) {
                throw new IllegalArgumentException("SCRAM mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512, got " + mechanism);
            }
            this.scramMechanism = mechanism;
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
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            return port;
        }

        private static Duration requirePositive(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + d);
            }
            return d;
        }
    }
}
