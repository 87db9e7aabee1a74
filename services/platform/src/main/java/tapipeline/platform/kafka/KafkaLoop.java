package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the platform's consumer loops share: one thread per loop, a lifecycle shown by /health, the
 * record-attempt policy ({@link RecordAttempts}), and a shutdown through {@code consumer.wakeup()}
 * that lets the record in hand finish before the clients close.
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
    private Thread thread;

    KafkaLoop(Builder<V, ?> b) {
        this.name = b.name;
        this.pollTimeout = b.pollTimeout;
        this.attempts = new RecordAttempts<>(b.name, b.decoder, b.policy, b.meters);
    }

    public final String name() {
        return name;
    }

    public final LoopState state() {
        return state;
    }

    /** Why the loop stopped, when {@link #state()} is FAILED. */
    public final String failure() {
        return failure;
    }

    /** Whether this loop counts as ready for /health; the reason shown otherwise. */
    public Readiness readiness() {
        return switch (state) {
            case RUNNING -> new Readiness(true, "consuming");
            case NEW -> new Readiness(false, "not started yet");
            case STOPPED -> new Readiness(false, "stopped");
            case FAILED -> new Readiness(false, "failed: " + failure);
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
        } catch (RuntimeException e) {
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

    final void fail(String reason, Throwable e) {
        failure = reason;
        state = LoopState.FAILED;
        log.error("{}: {} stopped: {}", name, getClass().getSimpleName(), reason, e);
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

        void requireTopicsAnd(Object handler, String what) {
            if (topics.isEmpty()) {
                throw new IllegalStateException(name + ": no topics to consume");
            }
            Objects.requireNonNull(handler, what);
        }
    }
}
