package tapipeline.solver.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.KeyTail;
import tapipeline.platform.kafka.Topics;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunStatus;

/**
 * Keeps {@code assignment.run.status} complete for history written before it existed: reads the part of
 * {@code assignment.run.completed} beyond the highest offset (per partition) that a status record already
 * points at, and writes a status for each completed run it does not know yet. On a system whose statuses
 * are complete this reads nothing, so start-up does not grow with history; on old data it runs once.
 */
final class StatusBackfill {

    private static final Logger log = LoggerFactory.getLogger(StatusBackfill.class);

    private final KafkaClients clients;
    private final Producer<String, byte[]> producer;

    StatusBackfill(KafkaClients clients, Producer<String, byte[]> producer) {
        this.clients = clients;
        this.producer = producer;
    }

    /**
     * @param covers    per partition of the completed topic, the highest offset a status points at
     * @param known     run ids that have a status already
     * @param onWritten told of each status written (after it was acknowledged)
     * @return how many statuses were written
     */
    int run(Map<Integer, Long> covers, Set<String> known, Consumer<RunStatus> onWritten) {
        String topic = Topics.RUN_COMPLETED.name();
        try (org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer =
                     clients.consumer("solver-status-backfill-" + UUID.randomUUID(), "solver-status-backfill")) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            List<TopicPartition> parts = new ArrayList<>();
            infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            consumer.assign(parts);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(parts));
            for (TopicPartition tp : parts) {
                Long covered = covers.get(tp.partition());
                if (covered == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, covered + 1);
                }
            }
            end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            if (end.isEmpty()) {
                return 0;
            }
            log.info("indexing completed runs without a status in {}", end.keySet());
            List<RunStatus> written = new ArrayList<>();
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            var decoder = Events.decoder(EventTypes.RUN_COMPLETED);
            while (!end.isEmpty()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue;
                    }
                    Envelope<RunCompleted> event;
                    try {
                        event = decoder.decode(r);
                    } catch (RuntimeException e) {
                        log.warn("skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                                e.getMessage());
                        continue;
                    }
                    RunCompleted done = event.payload();
                    if (known.contains(done.runId())) {
                        continue;
                    }
                    RunStatus status = RunStatus.of(done, event.occurredAt(), r.partition(), r.offset());
                    acks.add(Events.send(producer, EventTypes.RUN_STATUS, done.runId(), status));
                    known.add(done.runId());
                    written.add(status);
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
            for (java.util.concurrent.Future<?> ack : acks) {
                try {
                    ack.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("could not write the status of a completed run: " + e, e);
                }
            }
            written.forEach(onWritten);
            log.info("wrote {} statuses of completed runs", written.size());
            return written.size();
        }
    }

    /**
     * A completed event of {@code runId} written at or after {@code sinceMs} that has no status yet: a
     * solver that died after its completed event was acknowledged and before its status was written
     * leaves such a run, and its request is read again by whoever owns the partition next. Reads only the
     * partition the run id hashes to, from the first record at {@code sinceMs}, skipping other runs by
     * key without decoding them: the work grows with the runs completed since the request, not with
     * history. When found, writes the missing status (acknowledged before this returns) and returns it.
     *
     * @return the status written, or null when no such completed event exists
     */
    RunStatus completedSince(String runId, long sinceMs) {
        Duration timeout = Duration.ofSeconds(30);
        var decoder = Events.decoder(EventTypes.RUN_COMPLETED);
        ConsumerRecord<String, byte[]> found = null;
        Envelope<RunCompleted> event = null;
        try (KeyTail tail = KeyTail.since(clients, runId, sinceMs, timeout, Topics.RUN_COMPLETED.name())) {
            while (found == null && !tail.caughtUp(timeout)) {
                for (ConsumerRecord<String, byte[]> r : tail.poll(Duration.ofMillis(300))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        event = decoder.decode(r);
                    } catch (RuntimeException e) {
                        log.warn("skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                                e.getMessage());
                        continue;
                    }
                    found = r;
                    break;
                }
            }
        }
        if (found == null) {
            return null;
        }
        RunStatus status = RunStatus.of(event.payload(), event.occurredAt(), found.partition(), found.offset());
        try {
            Events.send(producer, EventTypes.RUN_STATUS, runId, status).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write the status of completed run " + runId + ": " + e, e);
        }
        log.info("run {} completed at {}-{}@{} without a status (its solver stopped in between); status written",
                runId, found.topic(), found.partition(), found.offset());
        return status;
    }
}
