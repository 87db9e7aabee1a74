package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the platform's consumer loops share: one thread per loop, a lifecycle shown by /health, the
 * record-attempt policy ({@link RecordAttempts}), and a shutdown through {@code consumer.wakeup()}
 * that lets the record in hand finish before the clients close. What a loop cannot recover from
 * marks it FAILED and calls its {@link FatalErrorHook} (in a service: the process exits non-zero).
 *
 * @param <V> the decoded value a handler works on
 */
public abstract class KafkaLoop<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaLoop.class);

    /** The /health reason when the broker refuses the client's credentials (SASL or TLS). */
    static final String AUTHENTICATION_FAILED = "authentication failed: Kafka refused this service's credentials"
            + " (check the KAFKA_CLIENT_* security settings; details in the log)";

    private final String name;
    private final CountDownLatch finished = new CountDownLatch(1);
    final RecordAttempts<V> attempts;
    final Duration pollTimeout;
    private volatile LoopState state = LoopState.NEW;
    private volatile String failure = "";
    private volatile boolean closing;
    private final FatalErrorHook fatalErrorHook;
    private Thread thread;

    KafkaLoop(Builder<V, ?> b) {
        this.name = b.name;
        this.pollTimeout = b.pollTimeout;
        this.fatalErrorHook = b.fatalErrorHook;
        this.attempts = new RecordAttempts<>(b.name, b.decoder, b.policy, b.meters);
    }

    public final String name() {
        return name;
    }

    public final LoopState state() {
        return state;
    }

    /** Why the loop stopped, when {@link #state()} is FAILED (for the log and tests; /health shows no detail). */
    public final String failure() {
        return failure;
    }

    /**
     * Whether this loop counts as ready for /health; the reason shown otherwise. Reasons are plain
     * sentences: exception text goes to the log only.
     */
    public Readiness readiness() {
        return switch (state) {
            case RUNNING -> new Readiness(true, "consuming");
            case NEW -> new Readiness(false, "not started yet");
            case STOPPED -> new Readiness(false, "stopped");
            // refused credentials are the operator's to fix, so that one reason is named; it holds no secret
            case FAILED -> new Readiness(false, AUTHENTICATION_FAILED.equals(failure) ? AUTHENTICATION_FAILED
                    : "stopped after a fatal error; see the log");
        };
    }

    /** A loop's readiness and its reason. */
    public record Readiness(boolean ready, String detail) {
    }

    final boolean closing() {
        return closing;
    }

    /** Starts the loop on its own thread. */
    final void launch(String threadPrefix) {
        thread = new Thread(this::run, threadPrefix + name);
        thread.start();
    }

    private void run() {
        state = LoopState.RUNNING;
        try {
            runLoop();
        } catch (WakeupException e) {
            if (!closing) {
                fail("unexpected wakeup", e);
            }
        } catch (AuthenticationException e) {
            // a plain reason for /health; the exception (Kafka's own words) goes to the log
            fail(AUTHENTICATION_FAILED, e);
        } catch (RuntimeException | Error e) {
            fail(e.toString(), e);
        } finally {
            try {
                closeClients();
            } finally {
                if (state == LoopState.RUNNING) {
                    state = LoopState.STOPPED;
                }
                finished.countDown();
            }
        }
    }

    /** Polls and handles until {@link #closing()}; returns early after {@link #fail} on a fatal error. */
    abstract void runLoop();

    /** Interrupts a blocking poll (consumer.wakeup()). */
    abstract void wakeup();

    /** Commits what is due and closes the Kafka clients; runs on the loop's thread at the end. */
    abstract void closeClients();

    /** Marks the loop FAILED, logs why, and calls the fatal-error hook; the caller then returns from {@link #runLoop}. */
    final void fail(String reason, Throwable e) {
        failure = reason;
        state = LoopState.FAILED;
        log.error("{}: {} stopped: {}", name, getClass().getSimpleName(), reason, e);
        try {
            fatalErrorHook.fatal("loop " + name, e);
        } catch (RuntimeException hookFailure) {
            log.error("{}: fatal-error hook failed", name, hookFailure);
        }
    }

    /**
     * Whether a failed offset commit is routine: the group is rebalancing, this member lost its
     * partitions, or the coordinator did not answer in time. The loop then drops the pending offsets
     * and goes on; the records are read again by whoever owns the partition (handlers are idempotent),
     * and a later commit by this member covers them when it still owns it.
     */
    static boolean retriableCommitFailure(RuntimeException e) {
        return e instanceof RebalanceInProgressException || e instanceof CommitFailedException
                || e instanceof RetriableCommitFailedException || e instanceof TimeoutException;
    }

    /** Stops the loop: finishes the record in hand, commits what is due, closes the clients. */
    @Override
    public final synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        attempts.stopping();
        wakeup();
        if (thread == null) {
            closeClients();
            return;
        }
        try {
            if (!finished.await(30, TimeUnit.SECONDS)) {
                log.warn("{}: loop did not stop within 30 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // nothing more to do at shutdown
        }
    }

    /** The settings every loop has; {@code B} is the concrete builder, returned for chaining. */
    public abstract static class Builder<V, B extends Builder<V, B>> {
        final String name;
        final KafkaClients clients;
        final RecordDecoder<V> decoder;
        Collection<String> topics = List.of();
        ErrorPolicy policy = ErrorPolicy.defaults();
        MeterRegistry meters = new SimpleMeterRegistry();
        Duration pollTimeout = Duration.ofMillis(500);
        FatalErrorHook fatalErrorHook = FatalErrorHook.NONE;
        /** Seams for unit tests (MockConsumer/MockProducer); null means "from {@link #clients}". */
        Supplier<Consumer<String, byte[]>> consumerFactory;
        Supplier<Producer<String, byte[]>> producerFactory;

        Builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
            this.name = Objects.requireNonNull(name);
            this.clients = Objects.requireNonNull(clients);
            this.decoder = Objects.requireNonNull(decoder);
        }

        abstract B self();

        public B topics(String... topics) {
            this.topics = List.of(topics);
            return self();
        }

        public B errorPolicy(ErrorPolicy policy) {
            this.policy = Objects.requireNonNull(policy);
            return self();
        }

        public B meters(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters);
            return self();
        }

        public B pollTimeout(Duration pollTimeout) {
            this.pollTimeout = Objects.requireNonNull(pollTimeout);
            return self();
        }

        /** Called when the loop stops on an error it cannot recover from (default: none, the loop just shows FAILED). */
        public B onFatal(FatalErrorHook hook) {
            this.fatalErrorHook = Objects.requireNonNull(hook);
            return self();
        }

        /** Test seam: where the loop gets its consumer. */
        B consumerFactory(Supplier<Consumer<String, byte[]>> factory) {
            this.consumerFactory = factory;
            return self();
        }

        /** Test seam: where the loop gets its producer (called again when a fenced producer is recreated). */
        B producerFactory(Supplier<Producer<String, byte[]>> factory) {
            this.producerFactory = factory;
            return self();
        }

        void requireTopicsAnd(Object handler, String what) {
            if (topics.isEmpty()) {
                throw new IllegalStateException(name + ": no topics to consume");
            }
            Objects.requireNonNull(handler, what);
        }
    }

    /** The settings of loops that consume as members of a consumer group (every loop but {@link ReplayLoop}). */
    public abstract static class GroupBuilder<V, B extends GroupBuilder<V, B>> extends Builder<V, B> {
        String groupId;
        Map<String, Object> consumerOverrides = Map.of();

        GroupBuilder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
            super(name, clients, decoder);
            this.groupId = name;
        }

        /** The consumer group (default: the loop's name); loops sharing one split its partitions. */
        public B groupId(String groupId) {
            this.groupId = Objects.requireNonNull(groupId);
            return self();
        }

        /** Consumer settings that differ from {@link KafkaClients#consumerProps} and the loop's own. */
        public B consumerOverrides(Map<String, Object> overrides) {
            this.consumerOverrides = Map.copyOf(overrides);
            return self();
        }
    }
}
