package tapipeline.platform.kafka;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import tapipeline.platform.trace.TraceContext;

/**
 * Where a transactional processor puts the records it wants to emit for one input. They are sent
 * only when the processor returns normally, inside the same transaction as the input's offset; a
 * failed attempt's records are thrown away, so a retry never emits twice. Each record gets its
 * {@code traceparent} here, while the input's trace is in scope (the loop sends after the handler returns).
 */
public final class Outbox {

    private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();

    public void send(String topic, String key, byte[] value) {
        send(new ProducerRecord<>(topic, key, value));
    }

    public void send(String topic, String key, byte[] value, Headers headers) {
        send(new ProducerRecord<>(topic, null, key, value, headers));
    }

    public void send(ProducerRecord<String, byte[]> record) {
        TraceContext.stamp(record.headers());
        records.add(record);
    }

    List<ProducerRecord<String, byte[]>> drain() {
        List<ProducerRecord<String, byte[]>> out = List.copyOf(records);
        records.clear();
        return out;
    }

    void clear() {
        records.clear();
    }
}
