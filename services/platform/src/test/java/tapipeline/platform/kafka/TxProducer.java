package tapipeline.platform.kafka;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka's {@link MockProducer} whose committed transactions write their offsets to the group's
 * committed offsets of a {@link LogConsumer} (what the broker does), and whose next
 * commitTransaction calls can be made to fail once each.
 */
final class TxProducer extends MockProducer<String, byte[]> {

    private final LogConsumer group;
    private final Deque<RuntimeException> commitFailures = new ArrayDeque<>();
    int commitAttempts;
    int aborts;

    TxProducer(LogConsumer group) {
        super(true, null, new StringSerializer(), new ByteArraySerializer());
        this.group = group;
    }

    synchronized void failNextCommits(RuntimeException... failures) {
        commitFailures.addAll(List.of(failures));
    }

    @Override
    public synchronized void commitTransaction() {
        commitAttempts++;
        RuntimeException failure = commitFailures.poll();
        if (failure != null) {
            throw failure;
        }
        Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = uncommittedOffsets();
        super.commitTransaction();
        offsets.values().forEach(group.groupOffsets::putAll);
    }

    @Override
    public synchronized void abortTransaction() {
        aborts++;
        super.abortTransaction();
    }
}
