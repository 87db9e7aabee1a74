package tapipeline.platform.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;

/** Topic helpers for tests against a shared broker: unique names and quick creation. */
public final class TestTopics {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestTopics() {
    }

    /** A topic (or group) name no other test of this run uses: {@code <prefix>-<n>-<random>}. */
    public static String unique(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }

    /** Creates the topic (replication factor = broker default) and waits until every partition has a leader. */
    public static String create(String bootstrap, String name, int partitions, boolean compacted) {
        return create(bootstrap, name, partitions, compacted, Map.of());
    }

    /** As {@link #create(String, String, int, boolean)} with extra topic configs (e.g. max.message.bytes). */
    public static String create(String bootstrap, String name, int partitions, boolean compacted, Map<String, String> configs) {
        Map<String, String> all = new HashMap<>(configs);
        if (compacted) {
            all.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(all)))
                    .all().get(30, TimeUnit.SECONDS);
            awaitLeaders(admin, name, partitions, Duration.ofSeconds(30));
            return name;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + name, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + " on " + bootstrap, e);
        }
    }

    /** Creates a topic with a {@link #unique(String)} name and returns the name. */
    public static String createUnique(String bootstrap, String prefix, int partitions, boolean compacted) {
        return create(bootstrap, unique(prefix), partitions, compacted);
    }

    /** An admin client with short timeouts; close it. */
    public static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(props);
    }

    private static void awaitLeaders(Admin admin, String name, int partitions, Duration timeout)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                TopicDescription d = admin.describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS).get(name);
                if (d.partitions().size() == partitions && d.partitions().stream().allMatch(p -> p.leader() != null)) {
                    return;
                }
            } catch (ExecutionException e) {
                // UnknownTopicOrPartition until the metadata has propagated
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("topic " + name + " has no leader for every partition after " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
