package tapipeline.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster of N KRaft nodes (default 3), each a combined broker+controller in its own
 * child JVM, run from the {@code kafka_2.13} jars on this JVM's classpath, secured as a production
 * cluster would be: SASL/SCRAM on the client listener, the standard authorizer with no access
 * unless an ACL grants it, and replication factor 3 with {@code min.insync.replicas} 2.
 *
 * <p>Listeners, on 127.0.0.1 with ports chosen free on the first start and then kept:
 * <ul>
 * <li>{@code CLIENT} (SASL_PLAINTEXT, the builder's SCRAM mechanism): clients and the brokers'
 *     replication traffic, the latter signed in as the admin user;</li>
 * <li>{@code CONTROLLER} (SASL_PLAINTEXT, PLAIN with the admin as the only static JAAS user): the
 *     metadata quorum and the brokers' registrations. Kafka cannot use SCRAM there, since SCRAM
 *     credentials live in the very metadata log the controllers serve (KAFKA-15513).</li>
 * </ul>
 * The admin user is {@code super.users}; its SCRAM credential is written into the metadata log when
 * storage is formatted ({@code kafka-storage format --add-scram}), so brokers can authenticate to each
 * other from the first start. Every other user and ACL comes through {@link #createUsers} and
 * {@link #createAcls}. Authorizer denials appear in the node's log ({@link #nodeLog}), through the
 * {@code kafka.authorizer.logger} at INFO.
 *
 * <p>Node {@code i} (0-based, also its {@code node.id}) lives in {@code <dataDir>/node-<i>}: its
 * generated {@code server.properties}, logs, pid and stdout/stderr ({@value EmbeddedKafka#LOG_FILE}).
 * The cluster id, the ports and a generated admin password are kept in
 * {@code <dataDir>/}{@value #STATE_FILE}, so a cluster restarted on the same data directory has the
 * same bootstrap servers. The same machinery as {@link EmbeddedKafka} runs each node: the child exits
 * when this JVM dies in any way, and a node left over by a crashed owner is killed on the next start.
 *
 * <p>{@link #stopNode} is a clean (controlled) shutdown, {@link #killNode} a SIGKILL; {@link #startNode}
 * restarts a node on its data and ports and returns once the cluster lists it again. After a kill,
 * it first waits until the controller has fenced the dead registration (the broker session timeout,
 * 5 s here), as Kafka refuses a new registration of the node until then.
 *
 * <pre>{@code
 * try (KafkaCluster cluster = KafkaCluster.builder().build().start()) {
 *     cluster.createUsers(Map.of("solver", "solver-secret"));
 *     cluster.createAcls(List.of(...));
 *     Map<String, String> props = cluster.clientProperties("solver", "solver-secret");
 * }
 * }</pre>
 */
public final class KafkaCluster implements AutoCloseable {

    /** Cluster id, admin password (when generated) and every node's ports, kept across restarts. */
    public static final String STATE_FILE = "kafka-cluster.properties";
    /** Heap of each node unless {@link Builder#jvmOptions} says otherwise: an idle node uses about 250 MB. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx384m");
    /** How long a node's registration outlives a node that died without a clean shutdown. */
    static final int BROKER_SESSION_TIMEOUT_MS = 5000;

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    private static final String HOST = NodeProcess.HOST;
    private static final String CLIENT_LISTENER = "CLIENT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** What a name or password may hold: the format step's --add-scram parser splits on , ] and =. */
    private static final Pattern SAFE_CREDENTIAL = Pattern.compile("[A-Za-z0-9._~!@#$%^&*+-]+");

    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final int size;
    private final String scramMechanism;
    private final String adminUser;
    private final String requestedAdminPassword;
    private final Map<String, String> extraBrokerProperties;
    private final List<String> jvmOptions;
    private final Duration startupTimeout;
    private final String classpathOverride;
    private final ClusterNode[] nodes;

    private volatile String clusterId;
    private volatile String adminPassword;
    private boolean closed;

    /** One node: its process machinery, ports, and whether it ended without a clean shutdown. */
    private static final class ClusterNode {
        final int id;
        final Path dir;
        final NodeProcess process;
        volatile int clientPort;
        volatile int controllerPort;
        volatile boolean endedUncleanly;

        ClusterNode(int id, Path dir, Duration shutdownTimeout) {
            this.id = id;
            this.dir = dir;
            this.process = new NodeProcess(dir, EmbeddedKafka.LOG_FILE, EmbeddedKafka.PID_FILE, "node " + id,
                    shutdownTimeout, true);
        }
    }

    private KafkaCluster(Builder b) throws IOException {
        this.deleteDataDirOnClose = b.dataDir == null;
        this.dataDir = NodeProcess.dataDirOrTemp(b.dataDir, "kafka-cluster-");
        this.size = b.nodes;
        this.scramMechanism = b.scramMechanism;
        this.adminUser = b.adminUser;
        this.requestedAdminPassword = b.adminPassword;
        this.extraBrokerProperties = Map.copyOf(b.brokerProperties);
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.startupTimeout = b.startupTimeout;
        this.classpathOverride = b.classpath;
        this.nodes = new ClusterNode[size];
        for (int i = 0; i < size; i++) {
            nodes[i] = new ClusterNode(i, dataDir.resolve("node-" + i), b.shutdownTimeout);
        }
    }

    /** A builder with defaults: 3 nodes, temp data directory, SCRAM-SHA-512, admin with a random password. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts every node in parallel (formatting new data directories first) and returns when
     * describeCluster, signed in as the admin, lists all N brokers. Does nothing if all run.
     *
     * @throws IllegalStateException if the cluster does not become ready in time (the message holds
     *     the tail of the failing node's log), or a data directory is in use by another live owner
     */
    public synchronized KafkaCluster start() {
        checkOpen();
        try {
            Instant begin = Instant.now();
            Properties state = prepare();
            Map<ClusterNode, Long> launched = new LinkedHashMap<>();
            for (ClusterNode node : nodes) {
                if (!node.process.isRunning()) {
                    launched.put(node, launch(node));
                }
            }
            Instant deadline = begin.plus(startupTimeout);
            for (Map.Entry<ClusterNode, Long> e : launched.entrySet()) {
                e.getKey().process.awaitPort(e.getKey().clientPort, deadline, startupTimeout, e.getValue());
            }
            NodeProcess.awaitCluster(adminProperties(bootstrapServers()), clusterId, listed -> listed.size() == size,
                    "all " + size + " brokers", reason -> launched.forEach((node, offset) -> {
                        node.process.checkAlive(offset);
                        node.process.checkDeadline(deadline, startupTimeout, offset, reason);
                    }));
            log.info("Kafka cluster of {} nodes ready at {} (cluster {}, data {}, {} in {} ms)", size, bootstrapServers(),
                    clusterId, dataDir, state.isEmpty() ? "formatted" : "restart",
                    Duration.between(begin, Instant.now()).toMillis());
            return this;
        } catch (IOException e) {
            stopAllQuietly();
            throw new UncheckedIOException("cannot start the Kafka cluster in " + dataDir, e);
        } catch (RuntimeException e) {
            stopAllQuietly();
            throw e;
        }
    }

    /**
     * Resolves the cluster id, admin password and every node's ports (from the state file, else
     * new), saves them, kills nodes left over by a crashed owner, and checks the ports are free.
     * Returns the state as it was before (empty on a first start).
     */
    private Properties prepare() throws IOException {
        Files.createDirectories(dataDir);
        Properties state = NodeProcess.readPropertiesIfExists(dataDir.resolve(STATE_FILE));
        Set<String> formattedIds = new HashSet<>();
        for (ClusterNode node : nodes) {
            Files.createDirectories(node.dir);
            if (!node.process.isRunning()) {
                node.endedUncleanly |= node.process.exitedOnItsOwn();
                node.process.stop(); // one that died on its own: drop its shutdown hook
                node.process.killStale();
            }
            node.process.formattedClusterId().ifPresent(formattedIds::add);
        }
        if (formattedIds.size() > 1) {
            throw new IllegalStateException("the nodes under " + dataDir + " were formatted for different clusters "
                    + formattedIds + "; delete the data directory to start afresh");
        }
        clusterId = formattedIds.stream().findFirst()
                .orElseGet(() -> state.getProperty("cluster.id", Uuid.randomUuid().toString()));
        adminPassword = requestedAdminPassword != null ? requestedAdminPassword
                : Optional.ofNullable(state.getProperty("admin.password")).orElseGet(KafkaCluster::randomPassword);
        List<Integer> taken = new ArrayList<>();
        for (ClusterNode node : nodes) {
            node.clientPort = NodeProcess.resolvePort(0, state.getProperty("node." + node.id + ".client.port"), ints(taken));
            taken.add(node.clientPort);
            node.controllerPort = NodeProcess.resolvePort(0, state.getProperty("node." + node.id + ".controller.port"), ints(taken));
            taken.add(node.controllerPort);
        }
        Map<String, String> saved = new LinkedHashMap<>();
        saved.put("cluster.id", clusterId);
        if (requestedAdminPassword == null) {
            saved.put("admin.password", adminPassword); // the only copy besides server.properties
        }
        for (ClusterNode node : nodes) {
            saved.put("node." + node.id + ".client.port", Integer.toString(node.clientPort));
            saved.put("node." + node.id + ".controller.port", Integer.toString(node.controllerPort));
        }
        NodeProcess.writeProperties(dataDir.resolve(STATE_FILE), saved, "Kafka cluster: kept across restarts of this data directory");
        for (ClusterNode node : nodes) {
            if (!node.process.isRunning()) {
                NodeProcess.ensureBindable(node.clientPort, "node " + node.id + " client");
                NodeProcess.ensureBindable(node.controllerPort, "node " + node.id + " controller");
            }
        }
        return state;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** Writes the node's server.properties and starts its JVM; returns where this start's log output begins. */
    private long launch(ClusterNode node) throws IOException {
        Path serverProperties = writeServerProperties(node);
        boolean formatted = node.process.formatted();
        long logOffset = node.process.startMarker(formatted);
        List<String> addScram = List.of(scramMechanism + "=[name=" + adminUser + ",password=" + adminPassword + "]");
        node.process.launch(serverProperties, formatted ? null : clusterId, addScram, jvmOptions, classpathOverride);
        node.endedUncleanly = false;
        return logOffset;
    }

    private Path writeServerProperties(ClusterNode node) throws IOException {
        String voters = java.util.Arrays.stream(nodes)
                .map(n -> n.id + "@" + HOST + ":" + n.controllerPort)
                .collect(Collectors.joining(","));
        String mechanism = scramMechanism.toLowerCase(Locale.ROOT);
        String client = "listener.name." + CLIENT_LISTENER.toLowerCase(Locale.ROOT) + ".";
        String controller = "listener.name." + CONTROLLER_LISTENER.toLowerCase(Locale.ROOT) + ".";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(node.id));
        p.put("controller.quorum.voters", voters);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", CLIENT_LISTENER + "://" + HOST + ":" + node.clientPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + node.controllerPort);
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + node.clientPort);
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
        // brokers replicate over the client listener, signed in with SCRAM as the admin
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("sasl.mechanism.inter.broker.protocol", scramMechanism);
        p.put(client + "sasl.enabled.mechanisms", scramMechanism);
        p.put(client + mechanism + ".sasl.jaas.config", NodeProcess.jaasConfig(
                "org.apache.kafka.common.security.scram.ScramLoginModule", adminUser, adminPassword, ""));
        // the controller listener: PLAIN with the admin as its one static user (the same JAAS entry
        // signs this node in to the other controllers)
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put(controller + "sasl.enabled.mechanisms", "PLAIN");
        p.put(controller + "plain.sasl.jaas.config", NodeProcess.jaasConfig(
                "org.apache.kafka.common.security.plain.PlainLoginModule", adminUser, adminPassword,
                " user_" + adminUser + "=\"" + NodeProcess.jaasEscape(adminPassword) + "\""));
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + adminUser);
        p.put("allow.everyone.if.no.acl.found", "false");
        p.putAll(NodeProcess.commonServerProperties(node.dir, Math.min(3, size), Math.min(2, size)));
        // quick stop and start on loopback: frequent heartbeats, a short session for a killed node
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("broker.session.timeout.ms", Integer.toString(BROKER_SESSION_TIMEOUT_MS));
        p.putAll(extraBrokerProperties);
        Path file = node.dir.resolve("server.properties");
        NodeProcess.writeProperties(file, p, "generated by KafkaCluster on every start; edit its builder instead");
        return file;
    }

    // ---------------------------------------------------------------- one node

    /**
     * Stops node {@code i} cleanly: SIGTERM, Kafka's controlled shutdown (leaders move away, the
     * node leaves the ISRs), then waits for the process to exit. Its data is kept.
     */
    public synchronized void stopNode(int i) {
        node(i).process.stop();
    }

    /** Kills node {@code i} with SIGKILL, as a crash would: no controlled shutdown. */
    public synchronized void killNode(int i) {
        ClusterNode node = node(i);
        if (node.process.isRunning()) {
            node.process.kill();
            node.endedUncleanly = true;
        }
    }

    /**
     * Starts node {@code i} again on its data directory and ports, and returns once the cluster
     * lists it among its brokers (registered and unfenced; its replicas may still be catching up to
     * the ISRs). After an unclean end it first waits until the controller fenced the old
     * registration. Does nothing if the node runs.
     */
    public synchronized void startNode(int i) {
        checkOpen();
        ClusterNode node = node(i);
        if (node.process.isRunning()) {
            return;
        }
        try {
            Instant begin = Instant.now();
            Instant deadline = begin.plus(startupTimeout);
            boolean unclean = node.endedUncleanly || node.process.exitedOnItsOwn();
            node.process.stop(); // one that died on its own: drop its shutdown hook
            node.process.killStale();
            if (unclean) {
                awaitFenced(node, deadline);
            }
            NodeProcess.ensureBindable(node.clientPort, "node " + i + " client");
            NodeProcess.ensureBindable(node.controllerPort, "node " + i + " controller");
            long offset = launch(node);
            node.process.awaitPort(node.clientPort, deadline, startupTimeout, offset);
            NodeProcess.awaitCluster(adminProperties(HOST + ":" + node.clientPort), clusterId,
                    listed -> listed.stream().anyMatch(n -> n.id() == i), "node " + i, reason -> {
                        node.process.checkAlive(offset);
                        node.process.checkDeadline(deadline, startupTimeout, offset, reason);
                    });
            log.info("Kafka node {} rejoined in {} ms", i, Duration.between(begin, Instant.now()).toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka node " + i + " in " + node.dir, e);
        }
    }

    /**
     * Waits (at most one broker session plus a margin) until the running nodes no longer list
     * {@code node}: the controller fenced the registration of the process that died. A new
     * process's registration is refused until then, and only this tells its listing apart from
     * the dead one's. Without a running node there is nobody to ask.
     */
    private void awaitFenced(ClusterNode node, Instant deadline) {
        String others = runningBootstrap();
        if (others.isEmpty()) {
            return;
        }
        Instant until = Instant.now().plusMillis(BROKER_SESSION_TIMEOUT_MS + 10_000L);
        try (Admin admin = Admin.create(adminProperties(others))) {
            while (Instant.now().isBefore(until) && Instant.now().isBefore(deadline)) {
                try {
                    Collection<Node> listed = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    if (listed.stream().noneMatch(n -> n.id() == node.id)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // no answer this time (e.g. a controller election): ask again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for node " + node.id + " to be fenced", e);
                }
                NodeProcess.sleep(200);
            }
            log.warn("the cluster still lists node {} {} s after it died; starting it anyway", node.id,
                    (BROKER_SESSION_TIMEOUT_MS + 10_000L) / 1000);
        }
    }

    public boolean isRunning(int i) {
        return node(i).process.isRunning();
    }

    /** The pid of node {@code i}'s process, if running. */
    public Optional<Long> pid(int i) {
        return node(i).process.pid();
    }

    /** Node {@code i}'s log file (its stdout and stderr, broker and authorizer log lines). */
    public Path nodeLog(int i) {
        return node(i).process.logFile();
    }

    /** Node {@code i}'s data directory, {@code <dataDir>/node-<i>}. */
    public Path nodeDir(int i) {
        return node(i).dir;
    }

    /** The number of nodes. */
    public int size() {
        return size;
    }

    private ClusterNode node(int i) {
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException("node index must be 0.." + (size - 1) + ", got " + i);
        }
        return nodes[i];
    }

    // ---------------------------------------------------------------- clients

    /** {@code 127.0.0.1:p0,127.0.0.1:p1,...}: every node's client (SASL_PLAINTEXT) listener, running or not. */
    public String bootstrapServers() {
        if (clusterId == null) {
            throw new IllegalStateException("the cluster has not been started yet");
        }
        return java.util.Arrays.stream(nodes).map(n -> HOST + ":" + n.clientPort).collect(Collectors.joining(","));
    }

    private String runningBootstrap() {
        return java.util.Arrays.stream(nodes).filter(n -> n.process.isRunning())
                .map(n -> HOST + ":" + n.clientPort).collect(Collectors.joining(","));
    }

    public String scramMechanism() {
        return scramMechanism;
    }

    public String adminUser() {
        return adminUser;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The KRaft cluster id, fixed when the data directories were formatted. */
    public String clusterId() {
        String id = clusterId;
        if (id == null) {
            throw new IllegalStateException("the cluster has not been started yet");
        }
        return id;
    }

    /** {@link #clientProperties} of the admin (the super user). */
    public Map<String, String> adminClientProperties() {
        if (adminPassword == null) {
            throw new IllegalStateException("the cluster has not been started yet");
        }
        return clientProperties(adminUser, adminPassword);
    }

    /**
     * The client properties that sign in as {@code user}: bootstrap.servers, security.protocol,
     * sasl.mechanism and sasl.jaas.config (which holds the password: do not log it).
     */
    public Map<String, String> clientProperties(String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.putAll(NodeProcess.scramClientProperties(scramMechanism, user, password));
        return p;
    }

    private Map<String, Object> adminProperties(String bootstrap) {
        Map<String, Object> p = new LinkedHashMap<>(adminClientProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-cluster-admin");
        return p;
    }

    /**
     * Creates SCRAM users (or resets their passwords) with the builder's mechanism, and returns
     * once the cluster describes every one of them and every running node has applied them (as
     * {@link #createAcls}: a node that has not yet read the credentials from the metadata log refuses
     * the user's sign-in, a SaslAuthenticationException that a test took for a missing user).
     */
    public void createUsers(Map<String, String> userToPassword) {
        NodeProcess.upsertScramUsers(adminProperties(bootstrapServers()), scramMechanism, userToPassword);
        try (Admin admin = Admin.create(adminProperties(bootstrapServers()))) {
            awaitMetadataApplied(admin, Instant.now().plus(Duration.ofSeconds(60)));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the users " + userToPassword.keySet() + " were not applied: "
                    + (e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating users", e);
        }
    }

    /**
     * Creates the ACLs and returns once every binding is described and every running node has
     * applied them: each running voter of the metadata quorum has fetched past the high watermark
     * that followed the creation and has fetched once more (so it learned that offset is committed
     * and handed it to its authorizer).
     */
    public void createAcls(Collection<AclBinding> bindings) {
        if (bindings.isEmpty()) {
            return;
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        try (Admin admin = Admin.create(adminProperties(bootstrapServers()))) {
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
            for (AclBinding binding : bindings) {
                while (!admin.describeAcls(binding.toFilter()).values().get(30, TimeUnit.SECONDS).contains(binding)) {
                    checkAclDeadline(deadline, "binding " + binding + " is not described");
                    NodeProcess.sleep(100);
                }
            }
            awaitMetadataApplied(admin, deadline);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the ACLs " + bindings + ": "
                    + (e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating ACLs", e);
        }
    }

    private void awaitMetadataApplied(Admin admin, Instant deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        long committed = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).highWatermark();
        Map<Integer, Long> fetchedPastAt = new LinkedHashMap<>();
        while (true) {
            QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS);
            List<Integer> pending = new ArrayList<>();
            for (QuorumInfo.ReplicaState voter : quorum.voters()) {
                if (voter.replicaId() < 0 || voter.replicaId() >= size || !nodes[voter.replicaId()].process.isRunning()
                        || voter.replicaId() == quorum.leaderId()) {
                    continue;
                }
                OptionalLong lastFetch = voter.lastFetchTimestamp();
                Long past = fetchedPastAt.get(voter.replicaId());
                if (past == null) {
                    if (voter.logEndOffset() >= committed && lastFetch.isPresent()) {
                        fetchedPastAt.put(voter.replicaId(), lastFetch.getAsLong());
                    }
                    pending.add(voter.replicaId());
                } else if (lastFetch.isEmpty() || lastFetch.getAsLong() <= past) {
                    pending.add(voter.replicaId());
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            checkAclDeadline(deadline, "nodes " + pending + " have not fetched the metadata up to offset " + committed);
            NodeProcess.sleep(100);
        }
    }

    private static void checkAclDeadline(Instant deadline, String what) {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("the metadata change (ACLs or users) was not applied within 60 s: " + what);
        }
    }

    // ---------------------------------------------------------------- stop

    /** Stops every node (in parallel, cleanly) and deletes the data directory if it was a temp one made here. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stopAllQuietly();
        closed = true;
        if (deleteDataDirOnClose) {
            NodeProcess.deleteRecursively(dataDir);
        }
    }

    private void stopAllQuietly() {
        List<Thread> stoppers = new ArrayList<>();
        for (ClusterNode node : nodes) {
            Thread t = new Thread(() -> {
                try {
                    node.process.stop();
                } catch (RuntimeException e) {
                    log.warn("error while stopping Kafka node {}", node.id, e);
                }
            }, "kafka-cluster-stop-" + node.id);
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("KafkaCluster on " + dataDir + " is closed");
        }
    }

    /** Options for {@link KafkaCluster}; every setter is optional. */
    public static final class Builder {
        private int nodes = 3;
        private Path dataDir;
        private String scramMechanism = "SCRAM-SHA-512";
        private String adminUser = "admin";
        private String adminPassword;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
        private Duration startupTimeout = Duration.ofSeconds(120);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private String classpath;

        private Builder() {
        }

        /**
         * Number of nodes, 1 to 9 (default 3). Below 3 the replication settings shrink with it:
         * replication factor min(3, n), {@code min.insync.replicas} min(2, n).
         */
        public Builder nodes(int count) {
            if (count < 1 || count > 9) {
                throw new IllegalArgumentException("a cluster needs 1..9 nodes, got " + count);
            }
            this.nodes = count;
            return this;
        }

        /** Where the nodes keep everything ({@code node-<i>} each); default a new temp directory deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512} (default) for clients and brokers. */
        public Builder scramMechanism(String mechanism) {
            this.scramMechanism = NodeProcess.checkScramMechanism(Objects.requireNonNull(mechanism, "mechanism"));
            return this;
        }

        /**
         * The super user, whose credential is written at format time and who signs the brokers in
         * to each other (default {@code admin} with a random password kept in the state file). A
         * password set here must be the one the data directory was formatted with.
         */
        public Builder adminUser(String name, String password) {
            this.adminUser = checkCredential("admin user name", name);
            this.adminPassword = checkCredential("admin password", password);
            return this;
        }

        /** A server property for every node, added to (or overriding) the generated ones. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The options of every node's JVM (default {@link #DEFAULT_JVM_OPTIONS}); the last -Xmx wins. */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /** How long {@link KafkaCluster#start()} and {@link KafkaCluster#startNode} wait. Default 120 s. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = NodeProcess.requirePositive(timeout);
            return this;
        }

        /** How long a stop waits after SIGTERM before killing. Default 30 s. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = NodeProcess.requirePositive(timeout);
            return this;
        }

        /** The nodes' classpath, when this JVM's own cannot be found; it must hold this module and {@code kafka_2.13}. */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath, "classpath");
            return this;
        }

        /** Builds the cluster; call {@link KafkaCluster#start()} to run it. */
        public KafkaCluster build() {
            try {
                return new KafkaCluster(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temp directory for the Kafka cluster", e);
            }
        }

        private static String checkCredential(String what, String value) {
            Objects.requireNonNull(value, what);
            if (!SAFE_CREDENTIAL.matcher(value).matches()) {
                throw new IllegalArgumentException("the " + what + " must be non-empty and hold only letters, digits"
                        + " and ._~!@#$%^&*+- (kafka-storage's --add-scram cannot take others)");
            }
            return value;
        }
    }
}
