package tapipeline.platform.kafka;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Where a transactional processor puts the records it wants to emit for one input. They are sent
 * only when the processor returns normally, inside the same transaction as the input's offset; a
 * failed attempt's records are thrown away, so a retry never emits twice.
 */
public final class Outbox {

    private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();

    public void send(String topic, String key, byte[] value) {
        records.add(new ProducerRecord<>(topic, key, value));
    }

    public void send(String topic, String key, byte[] value, Headers headers) {
        records.add(new ProducerRecord<>(topic, null, key, value, headers));
    }

    public void send(ProducerRecord<String, byte[]> record) {
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
