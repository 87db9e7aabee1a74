package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestTopics;

/**
 * Keys split between instances by group membership: every key has exactly one holder, a leaving
 * instance's revoke callback finishes before another instance is given its partitions, and the
 * survivor then holds every key.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PartitionOwnershipIT {

    @Test
    void each_key_has_one_holder_and_a_partition_moves_only_after_its_holder_let_it_go() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "owned", 6, true);
        KafkaClients clients = new KafkaClients(bootstrap);
        String group = "ownership-" + topic;
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> keys = IntStream.range(0, 60).mapToObj(i -> "program-" + i).toList();

        PartitionOwnership a = new PartitionOwnership(clients, group, "a", topic, listener("a", events, 1500),
                FatalErrorHook.NONE).start();
        try (PartitionOwnership b = new PartitionOwnership(clients, group, "b", topic, listener("b", events, 0),
                FatalErrorHook.NONE).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> a.owned().size() + b.owned().size() == 6
                    && !a.owned().isEmpty() && !b.owned().isEmpty());
            for (String key : keys) {
                assertThat(a.owns(key) ^ b.owns(key)).as("exactly one holder of " + key).isTrue();
            }

            events.clear();
            a.close(); // a leaves; its revoke callback takes 1.5 s (a render in hand)
            await().atMost(Duration.ofSeconds(60)).until(() -> b.owned().size() == 6);
            assertThat(keys).allMatch(b::owns);
            int released = indexOf(events, "a released");
            int gained = indexOf(events, "b assigned");
            assertThat(released).as("a let go (%s)", events).isGreaterThanOrEqualTo(0);
            assertThat(gained).as("b got a's partitions only after a let them go (%s)", events).isGreaterThan(released);
        }
    }

    /**
     * A holder whose revoke outlasts the group's patience (a render in hand longer than
     * max.poll.interval.ms, or a process paused past the session timeout) loses the partition without
     * being asked. With a transactional id per partition, opened when a partition is gained, the next
     * holder's initTransactions fences the old holder's producer: the zombie's late commit fails and only
     * the new holder's record is committed.
     */
    @Test
    void a_holder_that_lost_its_partition_cannot_commit_for_it() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "fenced", 1, true);
        String out = TestTopics.createUnique(bootstrap, "fenced-out", 1, false);
        KafkaClients clients = new KafkaClients(bootstrap);
        String group = "ownership-" + topic;
        String transactionalId = "fencing-test-" + topic + "-p0";
        java.util.concurrent.atomic.AtomicReference<Throwable> zombieError = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch zombieDone = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch bCommitted = new java.util.concurrent.CountDownLatch(1);
        java.util.List<org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>> producers = new CopyOnWriteArrayList<>();

        PartitionOwnership a = new PartitionOwnership(clients, group, "a", topic, new PartitionOwnership.Listener() {
            private org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer;

            @Override
            public void assigned(Set<Integer> partitions) {
                producer = clients.transactionalProducer("a", transactionalId);
                producers.add(producer);
                producer.initTransactions();
            }

            @Override
            public void revoking(Set<Integer> partitions) {
                try {
                    producer.beginTransaction();
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(out, "k", "from-a".getBytes()));
                    bCommitted.await(60, java.util.concurrent.TimeUnit.SECONDS); // the work in hand outlasts the rebalance
                    producer.commitTransaction();
                } catch (RuntimeException | InterruptedException e) {
                    zombieError.set(e);
                } finally {
                    zombieDone.countDown();
                }
            }
        }, FatalErrorHook.NONE, java.util.Map.of("max.poll.interval.ms", 3000)).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> a.owned().size() == 1);

        try (PartitionOwnership b = new PartitionOwnership(clients, group, "b", topic, new PartitionOwnership.Listener() {
            @Override
            public void assigned(Set<Integer> partitions) {
                var producer = clients.transactionalProducer("b", transactionalId);
                producers.add(producer);
                producer.initTransactions(); // fences a's producer and aborts its open transaction
                producer.beginTransaction();
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(out, "k", "from-b".getBytes()));
                producer.commitTransaction();
                bCommitted.countDown();
            }

            @Override
            public void revoking(Set<Integer> partitions) {
            }
        }, FatalErrorHook.NONE, java.util.Map.of("max.poll.interval.ms", 3000)).start()) { // the group waits 3 s for a
            assertThat(bCommitted.await(90, java.util.concurrent.TimeUnit.SECONDS)).as("b got the partition while a was still busy").isTrue();
            assertThat(zombieDone.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // fenced (ProducerFencedException, or InvalidProducerEpochException with transactions v2)
            assertThat(zombieError.get()).as("a's late commit fails").isInstanceOf(org.apache.kafka.common.KafkaException.class);
            List<String> committed = KafkaReads.readAll(bootstrap, out, true).stream()
                    .map(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).toList();
            assertThat(committed).containsExactly("from-b");
        } finally {
            a.close();
            producers.forEach(p -> {
                try {
                    p.close(Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                    // a fenced producer
                }
            });
        }
    }

    private static PartitionOwnership.Listener listener(String name, List<String> events, long revokeMillis) {
        return new PartitionOwnership.Listener() {
            @Override
            public void assigned(Set<Integer> partitions) {
                events.add(name + " assigned " + partitions);
            }

            @Override
            public void revoking(Set<Integer> partitions) {
                events.add(name + " revoking " + partitions);
                try {
                    Thread.sleep(revokeMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add(name + " released " + partitions);
            }
        };
    }

    private static int indexOf(List<String> events, String prefix) {
        List<String> copy = new ArrayList<>(events);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
