package tapipeline.platform.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.RejectedEventException;

/**
 * Follows topics from the beginning (read_committed) in the background and keeps every decoded
 * event, so a test can wait for "the completed event of run X" without racing the producer. Records
 * that are not events (a poison record another test left on a shared topic) are skipped, so that one
 * of them does not stop the watcher.
 */
public final class EventWatcher implements AutoCloseable {

    private static final EventCodec CODEC = EventCodec.standard();

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Envelope<?>> events = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closing;

    public EventWatcher(String bootstrap, String... topics) {
        Map<String, Object> p = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "watcher-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 20 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 20 * 1024 * 1024);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics));
        thread = new Thread(() -> {
            try {
                while (!closing) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        if (r.value() == null) {
                            return;   // a tombstone: not an event
                        }
                        try {
                            events.add(CODEC.decodeAny(r.value()));
                        } catch (RejectedEventException e) {
                            // another test's poison record on a shared topic: not an event
                        }
                    });
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }, "event-watcher");
        thread.start();
    }

    /** Every event seen so far whose payload is of this class and matches. */
    public <T> List<T> payloads(Class<T> type, Predicate<T> matching) {
        List<T> out = new ArrayList<>();
        for (Envelope<?> e : events) {
            if (type.isInstance(e.payload()) && matching.test(type.cast(e.payload()))) {
                out.add(type.cast(e.payload()));
            }
        }
        return out;
    }

    /** Waits for the first matching payload; fails the test after {@code timeout}. */
    public <T> T await(Class<T> type, Predicate<T> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<T> found = payloads(type, matching);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + type.getSimpleName() + " matching the condition within " + timeout);
    }

    public List<Envelope<?>> all() {
        return List.copyOf(events);
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
