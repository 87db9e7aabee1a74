package tapipeline.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
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
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KRaft node ({@link BrokerProcessMain}) as a child JVM living in its data directory: the
 * machinery {@link EmbeddedKafka} and {@link KafkaCluster} share. It launches the child with the
 * generated logging configs, records its pid, kills a stale node left on the same directory, waits
 * for readiness with the tail of the node's log in every failure, and stops it (SIGTERM, then
 * SIGKILL after the timeout) or kills it outright.
 *
 * <p>The static helpers hold what both owners need around a node: persisted properties files, port
 * resolution, and the SCRAM client properties.
 */
final class NodeProcess {

    static final String HOST = "127.0.0.1";
    /** Kafka's minimum (and kafka-configs' default) for SCRAM-SHA-256/512. */
    static final int SCRAM_ITERATIONS = 4096;
    /** Name of the log directory inside a node's data directory. */
    static final String LOG_DIRS = "logs";
    /** Environment variable through which {@link BrokerProcessMain} gets its {@code --add-scram} arguments (off the command line). */
    static final String ADD_SCRAM_ENV = "EMBEDDED_KAFKA_ADD_SCRAM";

    /**
     * How long a starting broker may refuse the credentials before the start fails: it serves
     * clients only once it has caught up the metadata (with the SCRAM credentials), so a refusal that
     * lasts means a wrong password, not a broker still starting.
     */
    private static final Duration CREDENTIALS_REFUSED_LIMIT = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(NodeProcess.class);

    private final Path dataDir;
    private final Path logFile;
    private final Path pidFile;
    private final String name;
    private final Duration shutdownTimeout;
    private final boolean stopOnJvmExit;

    // volatile: the getters do not wait for a start in progress on another thread
    private volatile Process process;
    private Thread shutdownHook;

    NodeProcess(Path dataDir, String logFileName, String pidFileName, String name, Duration shutdownTimeout,
            boolean stopOnJvmExit) {
        this.dataDir = dataDir;
        this.logFile = dataDir.resolve(logFileName);
        this.pidFile = dataDir.resolve(pidFileName);
        this.name = name;
        this.shutdownTimeout = shutdownTimeout;
        this.stopOnJvmExit = stopOnJvmExit;
    }

    Path logFile() {
        return logFile;
    }

    boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** True if the child was started and has exited without this class stopping it (a crash, or an outside kill). */
    boolean exitedOnItsOwn() {
        Process p = process;
        return p != null && !p.isAlive();
    }

    Optional<Long> pid() {
        Process p = process;
        return p != null && p.isAlive() ? Optional.of(p.pid()) : Optional.empty();
    }

    /** True if the storage of this node has been formatted (its log directory holds meta.properties). */
    boolean formatted() {
        return Files.exists(metaProperties());
    }

    /** The cluster id written by the format step, if formatted. */
    Optional<String> formattedClusterId() throws IOException {
        return formatted() ? Optional.ofNullable(readProperties(metaProperties()).getProperty("cluster.id")) : Optional.empty();
    }

    private Path metaProperties() {
        return dataDir.resolve(LOG_DIRS).resolve("meta.properties");
    }

    // ---------------------------------------------------------------- launch

    /** Appends a start marker to the log file and returns the log's size before it (where this start's output begins). */
    long startMarker(boolean formatted) throws IOException {
        long offset = Files.exists(logFile) ? Files.size(logFile) : 0;
        Files.writeString(logFile, String.format("%n===== embedded-kafka %s of the %s at %s (owner pid %d) =====%n",
                        formatted ? "restart" : "first start", name, Instant.now(), ProcessHandle.current().pid()),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return offset;
    }

    /**
     * Starts the child JVM on {@code serverProperties}, formatting storage first when
     * {@code formatClusterId} is given ({@code addScram}: the format step's {@code --add-scram}
     * entries, passed through the environment so no password shows in {@code ps}).
     */
    void launch(Path serverProperties, String formatClusterId, List<String> addScram, List<String> jvmOptions,
            String classpathOverride) throws IOException {
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
        // The owner stops it (after the services) and its stdin still guards against orphans.
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
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // stdin stays a pipe held by this JVM: its end-of-file tells the child we are gone
        builder.environment().remove("KAFKA_OPTS");
        builder.environment().remove(ADD_SCRAM_ENV);
        if (formatClusterId != null && !addScram.isEmpty()) {
            builder.environment().put(ADD_SCRAM_ENV, String.join("\n", addScram));
        }
        process = builder.start();
        Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.US_ASCII);
        if (stopOnJvmExit) {
            synchronized (this) {
                shutdownHook = new Thread(this::stopFromHook, "embedded-kafka-shutdown-" + name);
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
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

    // ---------------------------------------------------------------- readiness

    /** Fails with the log's tail if the child has exited. */
    void checkAlive(long logOffset) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("the Kafka " + name + " process exited"
                    + (p == null ? "" : " with code " + p.exitValue()) + " before it was ready; data dir " + dataDir
                    + ", tail of " + logFile + ":\n" + tail(logFile, logOffset, 60));
        }
    }

    /** Fails with the log's tail once {@code deadline} has passed. */
    void checkDeadline(Instant deadline, Duration timeout, long logOffset, String what) {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("the Kafka " + name + " was not ready after " + timeout.toSeconds() + " s ("
                    + what + "); data dir " + dataDir + ", tail of " + logFile + ":\n" + tail(logFile, logOffset, 60));
        }
    }

    /** Waits for the port to accept connections (an admin client against a closed port only logs warnings). */
    void awaitPort(int port, Instant deadline, Duration timeout, long logOffset) {
        while (!portOpen(port)) {
            checkAlive(logOffset);
            checkDeadline(deadline, timeout, logOffset, "port " + HOST + ":" + port + " never opened");
            sleep(100);
        }
    }

    /**
     * Asks describeCluster with {@code adminProperties} until {@code ready} accepts the nodes,
     * calling {@code check} (which throws when a child died or time is up, with the reason so far)
     * between attempts. Fails if the cluster reports another id than {@code expectedClusterId}.
     */
    static void awaitCluster(Map<String, Object> adminProperties, String expectedClusterId,
            Predicate<Collection<Node>> ready, String readyDescription, java.util.function.Consumer<String> check) {
        Map<String, Object> props = new LinkedHashMap<>(adminProperties);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
        String lastError = "no answer yet";
        Instant refusedSince = null;
        try (Admin admin = Admin.create(props)) {
            while (true) {
                check.accept("describeCluster did not succeed: " + lastError);
                if (refusedSince != null && Instant.now().isAfter(refusedSince.plus(CREDENTIALS_REFUSED_LIMIT))) {
                    throw new IllegalStateException("the broker at " + props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                            + " has refused the admin credentials for " + CREDENTIALS_REFUSED_LIMIT.toSeconds()
                            + " s (" + lastError + "); was its data directory formatted with another admin password?");
                }
                try {
                    DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000));
                    String id = cluster.clusterId().get(10, TimeUnit.SECONDS);
                    Collection<Node> nodes = cluster.nodes().get(10, TimeUnit.SECONDS);
                    if (!expectedClusterId.equals(id)) {
                        throw new IllegalStateException("the broker at " + props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                                + " reports cluster id " + id + " but its data directory holds " + expectedClusterId
                                + "; is another broker on that port?");
                    }
                    if (ready.test(nodes)) {
                        return;
                    }
                    lastError = "the cluster description " + nodes + " does not show " + readyDescription;
                } catch (ExecutionException | TimeoutException e) {
                    lastError = String.valueOf(e.getCause() != null ? e.getCause() : e);
                    if (e.getCause() instanceof AuthenticationException) {
                        refusedSince = refusedSince != null ? refusedSince : Instant.now();
                    } else {
                        refusedSince = null;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
                sleep(200);
            }
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

    // ---------------------------------------------------------------- stale nodes

    /**
     * A node recorded in the pid file that is still alive: when its owner is gone (an earlier
     * crashed run), kill it; when its owner is a live JVM, refuse to share the data directory. A pid
     * file of a dead process (after a SIGKILL) is just removed.
     */
    void killStale() throws IOException {
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
        if (handle.isPresent() && isOurNode(handle.get())) {
            Optional<ProcessHandle> owner = handle.get().parent().filter(ProcessHandle::isAlive);
            if (owner.isPresent() && owner.get().pid() != 1 && isJava(owner.get())) {
                throw new IllegalStateException("the data directory " + dataDir + " is in use by broker pid " + pid
                        + " owned by the live JVM pid " + owner.get().pid() + "; stop that one first");
            }
            log.warn("killing stale Kafka {} pid {} left over on {}", name, pid, dataDir);
            terminate(handle.get(), shutdownTimeout);
        }
        Files.deleteIfExists(pidFile);
    }

    private boolean isOurNode(ProcessHandle handle) {
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

    /**
     * Stops the child: SIGTERM, then waits for Kafka's clean (controlled) shutdown; SIGKILL after
     * the shutdown timeout. Does nothing if not started.
     */
    void stop() {
        end(false);
    }

    /** SIGKILL, as a crash would: no controlled shutdown. The pid file stays, as after a real crash. */
    void kill() {
        end(true);
    }

    private void end(boolean forcibly) {
        Process p;
        synchronized (this) {
            p = process;
            if (p == null) {
                return;
            }
            removeShutdownHook();
            process = null;
        }
        if (forcibly) {
            p.destroyForcibly();
            waitForExit(p.toHandle(), Duration.ofSeconds(10));
        } else {
            terminate(p.toHandle(), shutdownTimeout);
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                log.warn("cannot delete {}", pidFile, e);
            }
        }
        closeQuietly(p.getOutputStream());
        closeQuietly(p.getInputStream());
    }

    private void terminate(ProcessHandle handle, Duration timeout) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy(); // SIGTERM: Kafka's shutdown hook runs
        if (!waitForExit(handle, timeout)) {
            log.warn("Kafka {} pid {} did not stop within {} s; killing it", name, handle.pid(), timeout.toSeconds());
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
        try {
            stop();
        } catch (RuntimeException e) {
            log.warn("error while stopping the Kafka {}", name, e);
        }
    }

    private synchronized void removeShutdownHook() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
            shutdownHook = null;
        }
    }

    // ---------------------------------------------------------------- helpers for the owners

    static Properties readProperties(Path file) throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        }
        return props;
    }

    /** Reads the file if it exists, else empty properties. */
    static Properties readPropertiesIfExists(Path file) throws IOException {
        return Files.exists(file) ? readProperties(file) : new Properties();
    }

    static void writeProperties(Path file, Map<String, String> values, String comment) throws IOException {
        Properties props = new Properties();
        props.putAll(values);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            props.store(out, comment);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The server properties every node gets besides its identity, listeners and security: log
     * directory, replication of topics and internal topics ({@code replication} copies, writes
     * acknowledged by {@code minIsr}), no auto-created topics, no initial rebalance delay, and
     * records up to {@link EmbeddedKafka#DEFAULT_MESSAGE_MAX_BYTES}.
     */
    static Map<String, String> commonServerProperties(Path dataDir, int replication, int minIsr) {
        String rf = Integer.toString(replication);
        String isr = Integer.toString(minIsr);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("log.dirs", dataDir.resolve(LOG_DIRS).toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", isr);
        p.put("offsets.topic.replication.factor", rf);
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", isr);
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", isr);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", Integer.toString(EmbeddedKafka.DEFAULT_MESSAGE_MAX_BYTES));
        p.put("replica.fetch.max.bytes", Integer.toString(EmbeddedKafka.DEFAULT_MESSAGE_MAX_BYTES));
        return p;
    }

    /**
     * Creates SCRAM users (or resets their passwords) through the Admin API and waits until the
     * cluster describes every one of them, so a client signing in right after finds its credentials.
     */
    static void upsertScramUsers(Map<String, ?> adminProperties, String mechanism, Map<String, String> users) {
        if (users.isEmpty()) {
            return;
        }
        ScramMechanism scram = ScramMechanism.fromMechanismName(mechanism);
        Map<String, Object> props = new LinkedHashMap<>(adminProperties);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-scram");
        try (Admin admin = Admin.create(props)) {
            List<UserScramCredentialAlteration> alterations = new ArrayList<>();
            users.forEach((user, password) -> alterations.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(scram, SCRAM_ITERATIONS), password)));
            admin.alterUserScramCredentials(alterations).all().get(30, TimeUnit.SECONDS);
            Instant deadline = Instant.now().plusSeconds(30);
            while (true) {
                Map<String, UserScramCredentialsDescription> described =
                        admin.describeUserScramCredentials(List.copyOf(users.keySet())).all().get(30, TimeUnit.SECONDS);
                if (described.keySet().containsAll(users.keySet())) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the cluster did not show the SCRAM users " + users.keySet()
                            + " within 30 s of creating them");
                }
                sleep(100);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the SCRAM users " + users.keySet() + " on "
                    + adminProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + ": "
                    + (e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating SCRAM users", e);
        }
    }

    /** The given directory made absolute, or (when null) a new temp directory named with {@code prefix}. */
    static Path dataDirOrTemp(Path requested, String prefix) throws IOException {
        return requested != null ? requested.toAbsolutePath().normalize()
                : Files.createTempDirectory(prefix).toAbsolutePath();
    }

    /** The requested port if set, else the persisted one, else a free loopback port not in {@code avoid}. */
    static int resolvePort(int requested, String persisted, int... avoid) throws IOException {
        if (requested > 0) {
            return requested;
        }
        if (persisted != null && !persisted.isBlank()) {
            return Integer.parseInt(persisted.trim());
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                int port = socket.getLocalPort();
                if (Arrays.stream(avoid).noneMatch(a -> a == port)) {
                    return port;
                }
            }
        }
        throw new IOException("no free loopback port found");
    }

    /** Fails, naming the port and its role, if the port cannot be bound on the loopback address. */
    static void ensureBindable(int port, String role) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
        } catch (IOException e) {
            throw new IllegalStateException("the " + role + " port " + HOST + ":" + port
                    + " is already in use; stop whatever holds it or use another data directory", e);
        }
    }

    /**
     * Client properties that sign in over SASL_PLAINTEXT with SCRAM as {@code user}:
     * security.protocol, sasl.mechanism and sasl.jaas.config (which holds the password: do not log it).
     */
    static Map<String, String> scramClientProperties(String mechanism, String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", mechanism);
        p.put("sasl.jaas.config", jaasConfig("org.apache.kafka.common.security.scram.ScramLoginModule", user, password, ""));
        return p;
    }

    /** A JAAS line {@code <module> required username="..." password="..."<extra>;} with the values escaped. */
    static String jaasConfig(String loginModule, String user, String password, String extra) {
        return loginModule + " required username=\"" + jaasEscape(user) + "\" password=\"" + jaasEscape(password) + "\""
                + extra + ";";
    }

    static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    static String checkScramMechanism(String mechanism) {
        if (!"SCRAM-SHA-256".equals(mechanism) && !"SCRAM-SHA-512".equals(mechanism)) {
            throw new IllegalArgumentException("SCRAM mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512, got " + mechanism);
        }
        return mechanism;
    }

    static int checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        return port;
    }

    static Duration requirePositive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + d);
        }
        return d;
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
            return String.join("\n", Arrays.asList(all).subList(from, all.length));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static void sleep(long millis) {
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

    static void deleteRecursively(Path dir) {
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

    // kafka.authorizer.logger logs denied operations at INFO (allowed ones at DEBUG): keep it at INFO
    // so a denial shows in the node's log file
    private static final String LOGBACK_XML = """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>[%d{ISO8601}] %-5level %msg \\(%logger{36}\\)%n</pattern></encoder>
              </appender>
              <logger name="state.change.logger" level="WARN"/>
              <logger name="kafka.request.logger" level="WARN"/>
              <logger name="kafka.authorizer.logger" level="INFO"/>
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
            logger.authorizer.name = kafka.authorizer.logger
            logger.authorizer.level = INFO
            rootLogger.level = INFO
            rootLogger.appenderRef.out.ref = OUT
            """;
}
