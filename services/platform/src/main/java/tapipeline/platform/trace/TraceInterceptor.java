package tapipeline.platform.trace;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Stamps every record a platform producer sends with a W3C {@code traceparent}
 * ({@link TraceContext#stamp}): kept when present, a child of the trace of the record being
 * handled on this thread, or a new trace; and with {@value #PRODUCER_HEADER}, the producer's
 * {@code client.id} (e.g. {@code solver-0}), so the monitor's run trace can say who wrote each
 * event. {@code KafkaClients} installs it in every producer.
 */
public final class TraceInterceptor implements ProducerInterceptor<Object, Object> {

    /** The header naming the producer (its client.id); kept when a record already has one (a redrive). */
    public static final String PRODUCER_HEADER = "tapipeline.producer";

    private byte[] producer;

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        // onSend runs on the sending thread (so the loop's scope is visible) before headers turn read-only
        TraceContext.stamp(record.headers());
        if (producer != null && record.headers().lastHeader(PRODUCER_HEADER) == null) {
            record.headers().add(PRODUCER_HEADER, producer);
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object id = configs.get(ProducerConfig.CLIENT_ID_CONFIG);
        producer = id == null || String.valueOf(id).isBlank() ? null
                : String.valueOf(id).getBytes(StandardCharsets.UTF_8);
    }
}
