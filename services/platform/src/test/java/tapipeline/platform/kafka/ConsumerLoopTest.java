package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ConsumerLoop} on Kafka's MockConsumer/MockProducer: commit failures, revokes, dead-letter failures. */
class ConsumerLoopTest {

    private static final String TOPIC = "in";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final LogConsumer consumer = new LogConsumer();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final List<String> fatal = new CopyOnWriteArrayList<>();
    private ConsumerLoop<String> loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
    }

    private ConsumerLoop<String> start(MockProducer<String, byte[]> dlq, ConsumerLoop.Handler<String> handler) {
        RecordDecoder<String> decoder = r -> {
            String v = new String(r.value(), StandardCharsets.UTF_8);
            if (v.startsWith("poison")) {
                throw new PoisonRecordException("TEST_POISON", "poison record " + v);
            }
            return v;
        };
        loop = ConsumerLoop.builder("test-loop", new KafkaClients("unused:9092"), decoder)
                .topics(TOPIC).handler(handler)
                .errorPolicy(new ErrorPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1)))
                .pollTimeout(Duration.ofMillis(20))
                .onFatal((component, error) -> fatal.add(component))
                .consumerFactory(() -> consumer).producerFactory(() -> dlq)
                .build();
        return loop.start();
    }

    private static MockProducer<String, byte[]> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    static Stream<RuntimeException> routineCommitFailures() {
        return Stream.of(new CommitFailedException("partitions revoked"),
                new RebalanceInProgressException("rebalance in progress"),
                new RetriableCommitFailedException("coordinator moved"),
                new TimeoutException("commit timed out"));
    }

    @ParameterizedTest
    @MethodSource("routineCommitFailures")
    void a_routine_commit_failure_drops_the_pending_offsets_and_the_loop_goes_on(RuntimeException failure) {
        consumer.append(TOPIC, 0, 5);
        consumer.assignOnFirstPoll(P0);
        consumer.failNextCommits(failure);
        start(producer(), (v, r) -> handled.add(v));

        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 5);
        // the first commit failed: nothing is committed, and the loop is still running
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .until(() -> loop.state() == LoopState.RUNNING && consumer.committedOffset(P0) == -1);

        consumer.append(TOPIC, 0, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 8);
        assertThat(handled).hasSize(8);
        assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
        assertThat(fatal).isEmpty();
    }

    @Test
    void a_commit_failure_that_is_not_routine_stops_the_loop_and_calls_the_fatal_hook() {
        consumer.append(TOPIC, 0, 2);
        consumer.assignOnFirstPoll(P0);
        consumer.failNextCommits(new KafkaException("something unexpected"));
        start(producer(), (v, r) -> handled.add(v));

        await().atMost(Duration.ofSeconds(10)).until(() -> loop.state() == LoopState.FAILED);
        assertThat(fatal).containsExactly("loop test-loop");
        // /health says what happened in a sentence, without the exception's text
        assertThat(loop.readiness().ready()).isFalse();
        assertThat(loop.readiness().detail()).isEqualTo("stopped after a fatal error; see the log")
                .doesNotContain("KafkaException").doesNotContain("unexpected");
    }

    @Test
    void a_fatal_handler_error_calls_the_fatal_hook() {
        consumer.append(TOPIC, 0, 3);
        consumer.assignOnFirstPoll(P0);
        start(producer(), (v, r) -> {
            if (r.offset() == 1) {
                throw new FatalProcessingException("cannot go on", null);
            }
            handled.add(v);
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> !fatal.isEmpty());
        assertThat(loop.state()).isEqualTo(LoopState.FAILED);
        assertThat(handled).containsExactly("v0-0");
        assertThat(consumer.committedOffset(P0)).isEqualTo(1);
    }

    @Test
    void a_stop_while_a_record_is_failing_hands_it_back_instead_of_dead_lettering_it() throws Exception {
        consumer.append(TOPIC, 0, 3);
        consumer.assignOnFirstPoll(P0);
        MockProducer<String, byte[]> dlq = producer();
        java.util.concurrent.CountDownLatch failing = new java.util.concurrent.CountDownLatch(1);
        // a long backoff, so the stop lands between the first and the second attempt at offset 1
        loop = ConsumerLoop.builder("test-loop", new KafkaClients("unused:9092"),
                        (RecordDecoder<String>) r -> new String(r.value(), StandardCharsets.UTF_8))
                .topics(TOPIC).handler((v, r) -> {
                    if (r.offset() == 1) {
                        failing.countDown();
                        throw new java.io.IOException("the database is restarting");
                    }
                    handled.add(v);
                })
                .errorPolicy(new ErrorPolicy(4, Duration.ofSeconds(30), Duration.ofSeconds(30)))
                .pollTimeout(Duration.ofMillis(20)).onFatal((component, error) -> fatal.add(component))
                .consumerFactory(() -> consumer).producerFactory(() -> dlq).build().start();
        assertThat(failing.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        loop.close();

        assertThat(dlq.history()).as("a stop dead-letters nothing").isEmpty();
        assertThat(consumer.committedOffset(P0)).as("committed up to the failing record, not past it").isEqualTo(1);
        assertThat(handled).containsExactly("v0-0");
        assertThat(fatal).isEmpty();
    }

    @Test
    void a_revoke_mid_batch_commits_what_is_done_and_leaves_the_rest_of_the_revoked_partition() {
        consumer.append(TOPIC, 0, 10).append(TOPIC, 1, 4);
        consumer.assignOnFirstPoll(P0, P1);
        start(producer(), (v, r) -> {
            handled.add(r.topic() + "-" + r.partition() + "@" + r.offset());
            if (r.partition() == 0 && r.offset() == 3) {
                consumer.revoke(P0); // the group takes p0 away while its batch is in hand
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P1) == 4);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> loop.state() == LoopState.RUNNING);
        // p0: 0..2 committed on revoke; 3 was being handled when revoked, so its next owner handles it
        // again; 4..9 were never handled here
        assertThat(consumer.committedOffset(P0)).isEqualTo(3);
        assertThat(handled).filteredOn(s -> s.startsWith("in-0@"))
                .containsExactly("in-0@0", "in-0@1", "in-0@2", "in-0@3");
        assertThat(handled).filteredOn(s -> s.startsWith("in-1@")).hasSize(4);
    }

    @Test
    void a_failed_dead_letter_write_is_retried_without_committing_past_the_record() {
        // offsets 0, 1 good; 2 poison; 3 good
        consumer.append(TOPIC, 0, 2).appendValue(TOPIC, 0, "poison-2").appendValue(TOPIC, 0, "v0-3");
        consumer.assignOnFirstPoll(P0);
        AtomicInteger dlqFailuresLeft = new AtomicInteger(2);
        List<Long> committedWhileFailing = new CopyOnWriteArrayList<>();
        MockProducer<String, byte[]> dlq = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
                if (dlqFailuresLeft.getAndDecrement() > 0) {
                    committedWhileFailing.add(consumer.committedOffset(P0));
                    throw new KafkaException("dead-letter topic unavailable");
                }
                return super.send(record);
            }
        };
        start(dlq, (v, r) -> handled.add(r.offset() + ":" + v));

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 4);
        assertThat(committedWhileFailing).hasSize(2).allMatch(o -> o <= 2);
        assertThat(consumer.read.stream().filter("in-0@2"::equals).count()).isGreaterThanOrEqualTo(3);
        assertThat(dlq.history()).hasSize(1);
        assertThat(DeadLetters.header(dlq.history().get(0).headers(), DeadLetters.ORIGINAL_OFFSET)).isEqualTo("2");
        assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
    }
}
