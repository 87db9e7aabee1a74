package tapipeline.solver.service;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.KeyTail;
import tapipeline.platform.kafka.Topics;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.RunCheckpoint;

/**
 * Reads a run's latest checkpoint from the compacted {@code assignment.run.checkpoint}: the partition its
 * key hashes to (the producer's default partitioner), from the beginning to the end offset of the moment
 * of asking, so a checkpoint another instance wrote just before handing the run back is seen. Compaction
 * and the tombstone written when a run completes keep the partition small: only runs in progress.
 */
final class Checkpoints {

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

    private Checkpoints() {
    }

    /** The run's last checkpoint, or null when it has none (or it was tombstoned, or cannot be read). */
    static RunCheckpoint latest(KafkaClients clients, String runId) {
        String topic = Topics.RUN_CHECKPOINT.name();
        try (Consumer<String, byte[]> consumer = clients.consumer("solver-checkpoint-read-" + UUID.randomUUID(),
                "solver-checkpoint-read")) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            int partition = KeyTail.partitionOf(runId, infos.size());
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            ConsumerRecord<String, byte[]> last = null;
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    if (runId.equals(r.key()) && r.offset() < end) {
                        last = r;
                    }
                }
            }
            if (last == null || last.value() == null) {
                return null;
            }
            try {
                return Events.decoder(EventTypes.RUN_CHECKPOINT).decode(last).payload();
            } catch (RuntimeException e) {
                log.warn("checkpoint of run {} at {}@{} cannot be read ({}); solving from scratch", runId, tp,
                        last.offset(), e.toString());
                return null;
            }
        }
    }
}
