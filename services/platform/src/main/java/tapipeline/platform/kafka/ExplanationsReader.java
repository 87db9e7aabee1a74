package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.RejectedEventException;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunExplanations;

/**
 * Reads a run's explanations from {@code assignment.run.explanations} on demand, where its
 * {@code assignment.run.completed} (v2) says they are: one partition, an offset range, records keyed
 * {@code "<runId> <courseId>"} (other runs' records in the range are skipped by key, undecoded).
 *
 * <p>{@link #course} serves one course at a time (a review's slot page): the first call for a run reads
 * the range once, keys only, and keeps where each course's record is (a few bytes per course, for the
 * latest {@value #RUNS_INDEXED} runs); later calls fetch that one record. {@link #all} reads a whole run
 * (a command line's result file). One assigned consumer (no group), used under this object's lock.
 */
public final class ExplanationsReader implements AutoCloseable {

    /** Runs whose course index is kept. */
    static final int RUNS_INDEXED = 32;
    /** Decoded course records kept (a slot page, then its neighbours). */
    static final int COURSES_KEPT = 256;

    private final KafkaConsumer<String, byte[]> consumer;
    private final Duration timeout;
    private final Map<String, Map<String, Long>> index = lru(RUNS_INDEXED);
    private final Map<String, RunExplanations> decoded = lru(COURSES_KEPT);

    public ExplanationsReader(KafkaClients clients, String clientId, Duration timeout) {
        Map<String, Object> props = clients.consumerProps(null, clientId);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // a course record is small: do not fetch far past it
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.EXPLANATIONS_MAX_BYTES + 1024 * 1024);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        this.consumer = new KafkaConsumer<>(props);
        this.timeout = timeout;
    }

    /**
     * The explanations of one course of a run, or empty when the run wrote none for it (a course
     * without slots, or a result cut short). Fails with {@link IllegalStateException} when the range
     * cannot be read within the timeout.
     */
    public synchronized Optional<RunExplanations> course(String runId, RunCompleted.ExplanationsRef where, String courseId) {
        String key = RunExplanations.key(runId, courseId);
        RunExplanations cached = decoded.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Map<String, Long> courses = index.get(runId);
        if (courses == null) {
            Map<String, Long> built = new LinkedHashMap<>();
            String prefix = runId + " ";
            scan(where, where.firstOffset(), where.lastOffset(), r -> {
                if (r.key() != null && r.key().startsWith(prefix)) {
                    built.put(r.key().substring(prefix.length()), r.offset());
                }
            });
            courses = built;
            index.put(runId, courses);
        }
        Long offset = courses.get(courseId);
        if (offset == null) {
            return Optional.empty();
        }
        RunExplanations[] found = new RunExplanations[1];
        scan(where, offset, offset, r -> {
            if (key.equals(r.key())) {
                found[0] = decode(r);
            }
        });
        if (found[0] != null) {
            decoded.put(key, found[0]);
        }
        return Optional.ofNullable(found[0]);
    }

    /** Every course record of a run, in the order they were written. */
    public synchronized List<RunExplanations> all(String runId, RunCompleted.ExplanationsRef where) {
        String prefix = runId + " ";
        List<RunExplanations> out = new ArrayList<>(where.courses());
        scan(where, where.firstOffset(), where.lastOffset(), r -> {
            if (r.key() != null && r.key().startsWith(prefix)) {
                out.add(decode(r));
            }
        });
        return out;
    }

    private static RunExplanations decode(ConsumerRecord<String, byte[]> r) {
        try {
            return Events.codec().decode(r.value(), EventTypes.RUN_EXPLANATIONS).payload();
        } catch (RejectedEventException e) {
            throw new IllegalStateException("unreadable explanations record at " + r.topic() + "-" + r.partition()
                    + " offset " + r.offset() + ": " + e.getMessage(), e);
        }
    }

    /** Hands every record of the partition from {@code first} to {@code last} (inclusive) that exists. */
    private void scan(RunCompleted.ExplanationsRef where, long first, long last,
                      Consumer<ConsumerRecord<String, byte[]>> each) {
        TopicPartition tp = new TopicPartition(Topics.RUN_EXPLANATIONS.name(), where.partition());
        consumer.assign(List.of(tp));
        consumer.seek(tp, first);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(tp, timeout) <= last) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format(
                        "could not read %s partition %d offsets %d..%d within %d s (stopped at %d)", tp.topic(),
                        tp.partition(), first, last, timeout.toSeconds(), consumer.position(tp)));
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() > last) {
                    return;
                }
                if (r.value() != null) {
                    each.accept(r);
                }
            }
            if (consumer.position(tp, timeout) >= consumer.endOffsets(List.of(tp), timeout).get(tp)) {
                return; // the log ends before the range does (records compacted away at its end)
            }
        }
    }

    private static <V> Map<String, V> lru(int size) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > size;
            }
        };
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
