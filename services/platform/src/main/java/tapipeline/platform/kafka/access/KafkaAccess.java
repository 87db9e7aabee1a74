package tapipeline.platform.kafka.access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import tapipeline.platform.kafka.TopicSpec;
import tapipeline.platform.kafka.Topics;

/**
 * What one principal may do on Kafka, declared next to the code that does it (each
 * {@link tapipeline.platform.service.ServiceModule#kafkaAccess()}, and the command-line tools'
 * {@link KafkaTool}s): the topics it reads and writes, its consumer groups and transactional ids,
 * and the cluster operations it needs. Topics come from the {@link Topics} registry, so a name
 * cannot drift from the topic the code uses.
 *
 * <p>The declaration says how the code reads a topic, because each way brings its own needs:
 * <ul>
 *   <li>{@link Builder#consumes} a consumer-group loop ({@code ConsumerLoop}, {@code WorkerLoop},
 *   {@code TransactionalLoop}): reads the topic, writes its dead letters to {@code <topic>.dlq};</li>
 *   <li>{@link Builder#replays} a {@code ReplayLoop}: reads the topic and, at start, its
 *   {@code <topic>.dlq} (dead letters it wrote before), writes its dead letters there;</li>
 *   <li>{@link Builder#reads} an assigned reader without a group ({@code KeyTail},
 *   {@code ExplanationsReader}, Admin {@code listOffsets}/{@code describeTopics}): reads the topic only.</li>
 * </ul>
 *
 * <p>{@link #aclBindings()} turns it into Kafka's ACLs the way {@code kafka-acls.sh --consumer /
 * --producer / --transactional-id} would: READ and DESCRIBE on a topic read, WRITE and DESCRIBE on a
 * topic written, READ on a consumer group, WRITE and DESCRIBE on a transactional id. Nothing is
 * granted that is not declared. Idempotent producers need no cluster IDEMPOTENT_WRITE (WRITE on a
 * topic implies it since Kafka 2.8, KIP-679). Topics are created by the cluster's admin (the super
 * user that runs {@code tapipeline.app.CreateTopics} and the ACL script), never by a service.
 */
public final class KafkaAccess {

    /** The resource name of the one cluster resource. */
    public static final String CLUSTER = "kafka-cluster";

    private final String principal;
    private final String purpose;
    private final SortedSet<String> reads;
    private final SortedSet<String> writes;
    private final SortedSet<String> describesConfigs;
    private final SortedSet<String> groups;
    private final SortedSet<String> groupPrefixes;
    private final SortedSet<String> describesGroups;
    private final SortedSet<String> transactionalIds;
    private final SortedSet<String> transactionalIdPrefixes;
    private final SortedSet<AclOperation> clusterOperations;

    private KafkaAccess(Builder b) {
        this.principal = b.principal;
        this.purpose = b.purpose;
        this.reads = Collections.unmodifiableSortedSet(new TreeSet<>(b.reads));
        this.writes = Collections.unmodifiableSortedSet(new TreeSet<>(b.writes));
        this.describesConfigs = Collections.unmodifiableSortedSet(new TreeSet<>(b.describesConfigs));
        this.groups = Collections.unmodifiableSortedSet(new TreeSet<>(b.groups));
        this.groupPrefixes = Collections.unmodifiableSortedSet(new TreeSet<>(b.groupPrefixes));
        this.describesGroups = Collections.unmodifiableSortedSet(new TreeSet<>(b.describesGroups));
        this.transactionalIds = Collections.unmodifiableSortedSet(new TreeSet<>(b.transactionalIds));
        this.transactionalIdPrefixes = Collections.unmodifiableSortedSet(new TreeSet<>(b.transactionalIdPrefixes));
        this.clusterOperations = Collections.unmodifiableSortedSet(new TreeSet<>(b.clusterOperations));
    }

    /**
     * Starts the declaration of a principal.
     *
     * @param principal the SCRAM user name, which is the service's {@code name()} (or the tool's)
     * @param purpose   one line for the generated script, e.g. "solver service"
     */
    public static Builder builder(String principal, String purpose) {
        return new Builder(principal, purpose);
    }

    /** The user name (Kafka principal {@code User:<name>}). */
    public String principal() {
        return principal;
    }

    /** {@code User:<name>}, as ACLs name it. */
    public String kafkaPrincipal() {
        return "User:" + principal;
    }

    public String purpose() {
        return purpose;
    }

    /** Every topic read, dead-letter topics included. */
    public SortedSet<String> reads() {
        return reads;
    }

    /** Every topic written, dead-letter topics included. */
    public SortedSet<String> writes() {
        return writes;
    }

    /** Topics whose configuration it describes (Admin describeConfigs). */
    public SortedSet<String> describesConfigs() {
        return describesConfigs;
    }

    /** Consumer groups it joins or commits, by exact id. */
    public SortedSet<String> groups() {
        return groups;
    }

    /** Consumer groups it joins or commits, by id prefix. */
    public SortedSet<String> groupPrefixes() {
        return groupPrefixes;
    }

    /** Consumer groups it only describes (Admin API); {@code *} for all. */
    public SortedSet<String> describesGroups() {
        return describesGroups;
    }

    public SortedSet<String> transactionalIds() {
        return transactionalIds;
    }

    public SortedSet<String> transactionalIdPrefixes() {
        return transactionalIdPrefixes;
    }

    public SortedSet<AclOperation> clusterOperations() {
        return clusterOperations;
    }

    /** Whether it may write the topic (WRITE on it). */
    public boolean mayWrite(String topic) {
        return writes.contains(topic);
    }

    /** Whether it may read the topic (READ on it). */
    public boolean mayRead(String topic) {
        return reads.contains(topic);
    }

    /** The ALLOW bindings that grant exactly this access (any host), in {@link AclPlan#ORDER}. */
    public List<AclBinding> aclBindings() {
        TreeSet<AclBinding> out = new TreeSet<>(AclPlan.ORDER);
        for (String t : reads) {
            add(out, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.READ, AclOperation.DESCRIBE);
        }
        for (String t : writes) {
            add(out, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        for (String t : describesConfigs) {
            add(out, ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        }
        for (String g : groups) {
            add(out, ResourceType.GROUP, g, PatternType.LITERAL, AclOperation.READ);
        }
        for (String g : groupPrefixes) {
            add(out, ResourceType.GROUP, g, PatternType.PREFIXED, AclOperation.READ);
        }
        for (String g : describesGroups) {
            add(out, ResourceType.GROUP, g, PatternType.LITERAL, AclOperation.DESCRIBE);
        }
        for (String id : transactionalIds) {
            add(out, ResourceType.TRANSACTIONAL_ID, id, PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        for (String id : transactionalIdPrefixes) {
            add(out, ResourceType.TRANSACTIONAL_ID, id, PatternType.PREFIXED, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        if (!clusterOperations.isEmpty()) {
            add(out, ResourceType.CLUSTER, CLUSTER, PatternType.LITERAL, clusterOperations.toArray(AclOperation[]::new));
        }
        return List.copyOf(out);
    }

    private void add(TreeSet<AclBinding> out, ResourceType type, String name, PatternType pattern, AclOperation... ops) {
        for (AclOperation op : ops) {
            out.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(kafkaPrincipal(), "*", op, AclPermissionType.ALLOW)));
        }
    }

    @Override
    public String toString() {
        return "KafkaAccess[" + principal + ": reads " + reads + ", writes " + writes + ", groups " + groups + " "
                + groupPrefixes + "*, transactional ids " + transactionalIds + " " + transactionalIdPrefixes + "*"
                + (clusterOperations.isEmpty() ? "" : ", cluster " + clusterOperations) + "]";
    }

    /** Collects a declaration; every topic must be in the {@link Topics} registry. */
    public static final class Builder {
        private final String principal;
        private final String purpose;
        private final SortedSet<String> reads = new TreeSet<>();
        private final SortedSet<String> writes = new TreeSet<>();
        private final SortedSet<String> describesConfigs = new TreeSet<>();
        private final SortedSet<String> groups = new TreeSet<>();
        private final SortedSet<String> groupPrefixes = new TreeSet<>();
        private final SortedSet<String> describesGroups = new TreeSet<>();
        private final SortedSet<String> transactionalIds = new TreeSet<>();
        private final SortedSet<String> transactionalIdPrefixes = new TreeSet<>();
        private final SortedSet<AclOperation> clusterOperations = new TreeSet<>();

        private Builder(String principal, String purpose) {
            if (principal == null || !principal.matches("[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException("not a valid principal (user) name: '" + principal
                        + "' (lower-case letters, digits and -, starting with a letter)");
            }
            this.principal = principal;
            this.purpose = Objects.requireNonNull(purpose, "purpose");
        }

        /** Read in a consumer-group loop: the topic is read and its dead letters written to {@code <topic>.dlq}. */
        public Builder consumes(TopicSpec... topics) {
            for (TopicSpec t : topics) {
                reads.add(registered(t));
                writes.add(registered(t.deadLetters()));
            }
            return this;
        }

        /** Replayed by a ReplayLoop: the topic and its {@code <topic>.dlq} are read, its dead letters written there. */
        public Builder replays(TopicSpec... topics) {
            for (TopicSpec t : topics) {
                reads.add(registered(t));
                reads.add(registered(t.deadLetters()));
                writes.add(registered(t.deadLetters()));
            }
            return this;
        }

        /** Read by an assigned reader without a group (KeyTail, ExplanationsReader, the monitor's readers). */
        public Builder reads(TopicSpec... topics) {
            for (TopicSpec t : topics) {
                reads.add(registered(t));
            }
            return this;
        }

        /** Read by an assigned reader: every registered topic the filter accepts (dead-letter topics included). */
        public Builder reads(Predicate<TopicSpec> which) {
            Topics.allWithDeadLetters().stream().filter(which).forEach(t -> reads.add(t.name()));
            return this;
        }

        /** Written (by the service's producer, a transaction, or a tool). */
        public Builder writes(TopicSpec... topics) {
            for (TopicSpec t : topics) {
                writes.add(registered(t));
            }
            return this;
        }

        /** Written: every registered topic the filter accepts (dead-letter topics included). */
        public Builder writes(Predicate<TopicSpec> which) {
            Topics.allWithDeadLetters().stream().filter(which).forEach(t -> writes.add(t.name()));
            return this;
        }

        /** Topic configuration read through the Admin API (describeConfigs). */
        public Builder describesConfigs(Predicate<TopicSpec> which) {
            Topics.allWithDeadLetters().stream().filter(which).forEach(t -> describesConfigs.add(t.name()));
            return this;
        }

        /** A consumer group joined, committed to, or named by a consumer (READ). */
        public Builder group(String groupId) {
            groups.add(requireName(groupId, "group id"));
            return this;
        }

        /** Every consumer group whose id starts with the prefix (READ, a PREFIXED ACL). */
        public Builder groupPrefix(String prefix) {
            groupPrefixes.add(requireName(prefix, "group id prefix"));
            return this;
        }

        /** Groups described through the Admin API (DESCRIBE); {@code *} for every group. */
        public Builder describesGroups(String groupId) {
            describesGroups.add(requireName(groupId, "group id"));
            return this;
        }

        /** One transactional id (the same on every instance: a cluster-wide lock). */
        public Builder transactionalId(String id) {
            transactionalIds.add(requireName(id, "transactional id"));
            return this;
        }

        /** Transactional ids starting with the prefix, e.g. {@code <group>-} for {@code <group>-<INSTANCE_ID>}. */
        public Builder transactionalIdPrefix(String prefix) {
            transactionalIdPrefixes.add(requireName(prefix, "transactional id prefix"));
            return this;
        }

        /** An operation on the cluster resource, e.g. DESCRIBE for describeLogDirs. */
        public Builder cluster(AclOperation... operations) {
            for (AclOperation op : operations) {
                if (op == AclOperation.ANY || op == AclOperation.UNKNOWN || op == AclOperation.ALL) {
                    throw new IllegalArgumentException(principal + ": name the cluster operation, not " + op);
                }
                clusterOperations.add(op);
            }
            return this;
        }

        public KafkaAccess build() {
            return new KafkaAccess(this);
        }

        private String registered(TopicSpec t) {
            if (Topics.byName(t.name()).isEmpty()) {
                throw new IllegalArgumentException(principal + ": topic " + t.name() + " is not in the Topics registry");
            }
            return t.name();
        }

        private static String requireName(String name, String what) {
            if (name == null || !name.matches("[A-Za-z0-9._*-]+")) {
                throw new IllegalArgumentException("not a valid " + what + ": '" + name + "' (letters, digits, . _ - *)");
            }
            return name;
        }
    }

    /** The principals' names of a list, for messages. */
    static List<String> names(Iterable<KafkaAccess> all) {
        List<String> out = new ArrayList<>();
        all.forEach(a -> out.add(a.principal()));
        return out;
    }
}
