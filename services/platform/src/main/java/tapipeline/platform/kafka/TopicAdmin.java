package tapipeline.platform.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the cluster match the {@link Topics} registry: creates missing topics and reports drift
 * (fewer partitions, another cleanup policy, a smaller message limit...) without changing existing
 * topics behind an operator's back.
 */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    /** What {@link #ensure} did. */
    public record Report(List<String> created, List<String> drift) {
        public Report {
            created = List.copyOf(created);
            drift = List.copyOf(drift);
        }
    }

    private final Admin admin;
    private final int defaultPartitions;
    private final short defaultReplication;

    public TopicAdmin(Admin admin, int defaultPartitions, short defaultReplication) {
        this.admin = admin;
        this.defaultPartitions = defaultPartitions;
        this.defaultReplication = defaultReplication;
    }

    public Report ensure(Collection<TopicSpec> specs) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> created = new ArrayList<>();
            List<NewTopic> toCreate = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (!existing.contains(spec.name())) {
                    toCreate.add(new NewTopic(spec.name(), partitions(spec), replication(spec)).configs(spec.configs()));
                }
            }
            if (!toCreate.isEmpty()) {
                Map<String, org.apache.kafka.common.KafkaFuture<Void>> results = admin.createTopics(toCreate).values();
                for (var e : results.entrySet()) {
                    try {
                        e.getValue().get(30, TimeUnit.SECONDS);
                        created.add(e.getKey());
                    } catch (ExecutionException ex) {
                        if (!(ex.getCause() instanceof TopicExistsException)) {
                            throw ex; // another instance creating the same topic at once is fine
                        }
                    }
                }
            }
            List<String> drift = drift(specs.stream().filter(s -> existing.contains(s.name())).toList());
            drift.forEach(d -> log.warn("topic drift: {}", d));
            if (!created.isEmpty()) {
                log.info("created topics {}", created);
            }
            return new Report(created, drift);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException auth) {
                throw new IllegalStateException("cannot create topics: authentication failed, Kafka refused the credentials"
                        + " (check the KAFKA_CLIENT_* security settings): " + auth.getMessage(), e);
            }
            throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
        }
    }

    private List<String> drift(List<TopicSpec> specs) throws InterruptedException, ExecutionException, TimeoutException {
        if (specs.isEmpty()) {
            return List.of();
        }
        List<String> drift = new ArrayList<>();
        Map<String, TopicSpec> byName = specs.stream().collect(Collectors.toMap(TopicSpec::name, s -> s));
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(byName.keySet()).allTopicNames().get(30, TimeUnit.SECONDS);
        List<ConfigResource> resources = byName.keySet().stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        for (TopicSpec spec : specs) {
            int actualPartitions = descriptions.get(spec.name()).partitions().size();
            if (actualPartitions < partitions(spec)) {
                drift.add(spec.name() + ": " + actualPartitions + " partitions, registry wants " + partitions(spec));
            }
            Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            for (var want : spec.configs().entrySet()) {
                var entry = actual.get(want.getKey());
                String have = entry == null ? null : entry.value();
                if (!want.getValue().equals(have)) {
                    drift.add(spec.name() + ": " + want.getKey() + "=" + have + ", registry wants " + want.getValue());
                }
            }
        }
        return drift;
    }

    private int partitions(TopicSpec spec) {
        return spec.partitions() > 0 ? spec.partitions() : defaultPartitions;
    }

    private short replication(TopicSpec spec) {
        return spec.replication() > 0 ? spec.replication() : defaultReplication;
    }

    /**
     * How many records a topic holds now (end minus start offsets over its partitions; transaction
     * markers count too). Used by idempotent sample-data loaders: "publish only into an empty topic".
     */
    public long recordCount(String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().stream()
                .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> earliest = new HashMap<>();
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> {
            earliest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest());
            latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest());
        });
        var start = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS);
        var end = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        long count = 0;
        for (var tp : partitions) {
            count += end.get(tp).offset() - start.get(tp).offset();
        }
        return count;
    }

    /** Partition counts of existing topics, for the monitor and tests. */
    public Map<String, Integer> partitionCounts(Collection<String> topics) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS)
                .forEach((n, d) -> out.put(n, d.partitions().size()));
        return out;
    }
}
