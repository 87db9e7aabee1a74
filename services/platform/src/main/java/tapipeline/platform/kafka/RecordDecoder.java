package tapipeline.platform.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a raw record into the value a handler works on. Throws {@link PoisonRecordException} for a
 * record that can never be decoded; the loop dead-letters it without retrying.
 */
public interface RecordDecoder<V> {

    V decode(ConsumerRecord<String, byte[]> record);

    /** The correlation key put into the logging context (MDC) while this value is handled. */
    default String correlationId(V value, ConsumerRecord<String, byte[]> record) {
        return record.key();
    }

    /** The raw bytes, for loops that move opaque records. */
    static RecordDecoder<byte[]> bytes() {
        return ConsumerRecord::value;
    }
}
