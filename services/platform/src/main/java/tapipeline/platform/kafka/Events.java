package tapipeline.platform.kafka;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;

import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventType;
import tapipeline.schemas.RejectedEventException;

/**
 * Bridges the event envelope (schemas) and Kafka records: a {@link RecordDecoder} that validates
 * every consumed record against its JSON Schema (rejections become dead letters with the reason),
 * and producer records keyed by the type's key.
 */
public final class Events {

    private static final EventCodec CODEC = EventCodec.standard();

    private Events() {
    }

    public static EventCodec codec() {
        return CODEC;
    }

    /** Decodes records of one event type; anything else is poison with the codec's reason code. */
    public static <T> RecordDecoder<Envelope<T>> decoder(EventType<T> type) {
        return new RecordDecoder<>() {
            @Override
            public Envelope<T> decode(ConsumerRecord<String, byte[]> record) {
                if (record.value() == null) {
                    throw new PoisonRecordException("NULL_VALUE", "record has no value (a tombstone?)");
                }
                try {
                    return CODEC.decode(record.value(), type);
                } catch (RejectedEventException e) {
                    throw new PoisonRecordException(e.reason().name(), e.getMessage(), e);
                }
            }

            @Override
            public String correlationId(Envelope<T> value, ConsumerRecord<String, byte[]> record) {
                return value.correlationId();
            }
        };
    }

    /**
     * Decodes records of any known event type (for loops that read several topics, e.g. to
     * materialize state); handlers switch on {@link Envelope#type()}.
     */
    public static RecordDecoder<Envelope<?>> anyDecoder() {
        return new RecordDecoder<>() {
            @Override
            public Envelope<?> decode(ConsumerRecord<String, byte[]> record) {
                if (record.value() == null) {
                    throw new PoisonRecordException("NULL_VALUE", "record has no value (a tombstone?)");
                }
                try {
                    return CODEC.decodeAny(record.value());
                } catch (RejectedEventException e) {
                    throw new PoisonRecordException(e.reason().name(), e.getMessage(), e);
                }
            }

            @Override
            public String correlationId(Envelope<?> value, ConsumerRecord<String, byte[]> record) {
                return value.correlationId();
            }
        };
    }

    /** The record for an event: its type's topic, the payload's key. */
    public static <T> ProducerRecord<String, byte[]> record(EventType<T> type, Envelope<T> event) {
        return new ProducerRecord<>(type.topic(), type.keyOf(event.payload()), CODEC.encode(event));
    }

    /** Wraps a payload in a new envelope and makes its record. */
    public static <T> ProducerRecord<String, byte[]> record(EventType<T> type, String correlationId, T payload) {
        return record(type, Envelope.of(type, correlationId, payload));
    }

    /**
     * Sends an event. A record over a size limit fails (in the returned future) with a
     * {@link RecordTooLargeException} whose message names the topic, the record's size and the limits
     * ({@link Topics#tooLarge}).
     */
    public static <T> Future<RecordMetadata> send(Producer<String, byte[]> producer, EventType<T> type,
                                                  String correlationId, T payload) {
        return send(producer, record(type, correlationId, payload));
    }

    /** Sends a record; a too-large one fails as in {@link #send(Producer, EventType, String, Object)}. */
    public static Future<RecordMetadata> send(Producer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
        return new NamingLimits(record, producer.send(record));
    }

    /** A send's future whose record-too-large failure names the topic and the limits. */
    private record NamingLimits(ProducerRecord<String, byte[]> record, Future<RecordMetadata> sent)
            implements Future<RecordMetadata> {

        @Override
        public RecordMetadata get() throws InterruptedException, ExecutionException {
            try {
                return sent.get();
            } catch (ExecutionException e) {
                throw named(e);
            }
        }

        @Override
        public RecordMetadata get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            try {
                return sent.get(timeout, unit);
            } catch (ExecutionException e) {
                throw named(e);
            }
        }

        private ExecutionException named(ExecutionException e) {
            if (!(e.getCause() instanceof RecordTooLargeException tooLarge)) {
                return e;
            }
            int bytes = (record.value() == null ? 0 : record.value().length)
                    + (record.key() == null ? 0 : record.key().getBytes(StandardCharsets.UTF_8).length);
            return new ExecutionException(Topics.tooLarge(record.topic(), bytes, tooLarge));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return sent.cancel(mayInterruptIfRunning);
        }

        @Override
        public boolean isCancelled() {
            return sent.isCancelled();
        }

        @Override
        public boolean isDone() {
            return sent.isDone();
        }
    }
}
