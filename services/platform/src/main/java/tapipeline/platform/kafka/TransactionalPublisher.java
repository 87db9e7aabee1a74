package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a group of records in one transaction, outside any consumer loop (e.g. the handbook's
 * artifact and its rendered event: never one without the other), following the producer's contract
 * ({@link TransactionErrors}): a commit that times out is retried, never aborted; an abortable error
 * aborts; a fenced producer is replaced by a new one with the same transactional.id before the next
 * publish; a fatal error calls the {@link FatalErrorHook}. {@link #publish} throws when nothing was
 * published, so that the caller can try again later. Not thread-safe: use it from one thread.
 */
public final class TransactionalPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionalPublisher.class);

    private final String name;
    private final Supplier<Producer<String, byte[]>> factory;
    private final FatalErrorHook fatalErrorHook;
    private final BooleanSupplier stopping;
    private volatile Producer<String, byte[]> producer;
    private boolean broken = true; // the first publish initializes the producer

    /**
     * @param factory  makes a transactional producer (the same transactional.id every time)
     * @param stopping true once the owner shuts down: a commit timeout is then not retried
     */
    public TransactionalPublisher(String name, Supplier<Producer<String, byte[]>> factory,
                                  FatalErrorHook fatalErrorHook, BooleanSupplier stopping) {
        this.name = Objects.requireNonNull(name);
        this.factory = Objects.requireNonNull(factory);
        this.fatalErrorHook = Objects.requireNonNull(fatalErrorHook);
        this.stopping = Objects.requireNonNull(stopping);
    }

    /** Creates and initializes the producer now (initTransactions fences an older one with the same id). */
    public void init() {
        recreate();
    }

    /** Sends the records in one transaction and commits it; throws when they were not published. */
    public void publish(List<ProducerRecord<String, byte[]>> records) {
        try {
            if (broken) {
                recreate();
            }
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r);
            }
            commit();
        } catch (KafkaException e) {
            TransactionErrors.Recovery recovery = TransactionErrors.recoveryFor(e);
            if (recovery == TransactionErrors.Recovery.FATAL) {
                log.error("{}: the transactional producer cannot go on", name, e);
                fatalErrorHook.fatal(name, e);
            } else if (recovery == TransactionErrors.Recovery.RECREATE_PRODUCER || broken) {
                broken = true; // replaced before the next publish
            } else {
                abort();
            }
            throw e;
        }
    }

    private void commit() {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (stopping.getAsBoolean()) {
                    throw e; // closing the producer leaves the outcome to the coordinator
                }
                log.warn("{}: commitTransaction timed out (attempt {}); retrying the commit", name, attempt);
            }
        }
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            log.warn("{}: abortTransaction failed ({}); the producer is replaced before the next publish", name,
                    e.getClass().getSimpleName());
            broken = true;
        }
    }

    private void recreate() {
        Producer<String, byte[]> old = producer;
        if (old != null) {
            log.warn("{}: replacing the transactional producer", name);
            closeQuietly(old, Duration.ZERO);
        }
        broken = true;
        Producer<String, byte[]> p = factory.get();
        producer = p;
        p.initTransactions();
        broken = false;
    }

    private static void closeQuietly(Producer<String, byte[]> p, Duration timeout) {
        try {
            p.close(timeout);
        } catch (RuntimeException e) {
            // a fenced or broken producer may fail to close: nothing more to do
        }
    }

    @Override
    public void close() {
        Producer<String, byte[]> p = producer;
        if (p != null) {
            closeQuietly(p, Duration.ofSeconds(10));
        }
    }
}
