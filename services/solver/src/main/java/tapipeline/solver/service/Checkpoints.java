package tapipeline.solver.service;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Checkpoints() {
    }

    /** The run's last checkpoint, or null when it has none (or it was tombstoned, or cannot be read). */
    static RunCheckpoint latest(KafkaClients clients, String runId) {
        ConsumerRecord<String, byte[]> last = null;
        try (KeyTail tail = KeyTail.fromBeginning(clients, runId, TIMEOUT, Topics.RUN_CHECKPOINT.name())) {
            while (!tail.caughtUp(TIMEOUT)) {
                for (ConsumerRecord<String, byte[]> r : tail.poll(Duration.ofMillis(300))) {
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
            log.warn("checkpoint of run {} at {}-{}@{} cannot be read ({}); solving from scratch", runId,
                    last.topic(), last.partition(), last.offset(), e.toString());
            return null;
        }
    }
}
