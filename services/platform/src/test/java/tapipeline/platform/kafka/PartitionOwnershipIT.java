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
