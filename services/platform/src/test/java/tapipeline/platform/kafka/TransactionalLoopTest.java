package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TransactionalLoop} on Kafka's MockConsumer/MockProducer: the producer's error contract
 * (abort and rewind, retry a timed-out commit, recreate a fenced producer, stop on fatal errors) and
 * no backoff inside an open transaction.
 */
class TransactionalLoopTest {

    private static final String TOPIC = "in";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    private final LogConsumer consumer = new LogConsumer();
    private final List<TxProducer> producers = new CopyOnWriteArrayList<>();
    private final List<String> fatal = new CopyOnWriteArrayList<>();
    private TransactionalLoop<String> loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
    }

    /** Starts a loop copying each input to "out"; {@code onProducer} prepares each producer it creates. */
    private void start(java.util.function.Consumer<TxProducer> onProducer, TransactionalLoop.Processor<String> processor) {
        start(onProducer, processor, TransactionalLoop.MAX_TRANSACTION_TIME);
    }

    private void start(java.util.function.Consumer<TxProducer> onProducer, TransactionalLoop.Processor<String> processor,
                       Duration maxTransactionTime) {
        loop = TransactionalLoop.builder("tx-loop", new KafkaClients("unused:9092"),
                        r -> new String(r.value(), StandardCharsets.UTF_8))
                .topics(TOPIC).processor(processor)
                .errorPolicy(new ErrorPolicy(3, Duration.ofMillis(300), Duration.ofMillis(300)))
                .pollTimeout(Duration.ofMillis(20))
                .maxTransactionTime(maxTransactionTime)
                .onFatal((component, error) -> fatal.add(component))
                .consumerFactory(() -> consumer)
                .producerFactory(() -> {
                    TxProducer p = new TxProducer(consumer);
                    onProducer.accept(p);
                    producers.add(p);
                    return p;
                })
                .build();
        loop.start();
    }

    private static TransactionalLoop.Processor<String> copyToOut() {
        return (v, r, out) -> out.send("out", r.key(), v.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> committedOutputs(TxProducer p) {
        return p.history().stream().map(ProducerRecord::value).map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    private long reads(int offset) {
        return consumer.read.stream().filter(("in-0@" + offset)::equals).count();
    }

    @Test
    void an_abortable_commit_error_aborts_rewinds_and_goes_on() {
        consumer.append(TOPIC, 0, 5);
        consumer.assignOnFirstPoll(P0);
        start(p -> p.failNextCommits(new TransactionAbortableException("abortable")), copyToOut());

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 5);
        TxProducer p = producers.get(0);
        assertThat(p.aborts).isEqualTo(1);
        assertThat(reads(0)).as("re-read after the rewind").isEqualTo(2);
        assertThat(committedOutputs(p)).as("the aborted outputs are not committed; each output once")
                .containsExactly("v0-0", "v0-1", "v0-2", "v0-3", "v0-4");
        assertThat(producers).hasSize(1);
        assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
    }

    @Test
    void an_invalid_producer_epoch_aborts_and_goes_on_instead_of_stopping() {
        consumer.append(TOPIC, 0, 3);
        consumer.assignOnFirstPoll(P0);
        start(p -> p.failNextCommits(new InvalidProducerEpochException("epoch bumped")), copyToOut());

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 3);
        assertThat(producers.get(0).aborts).isEqualTo(1);
        assertThat(reads(0)).isEqualTo(2);
        assertThat(committedOutputs(producers.get(0))).containsExactly("v0-0", "v0-1", "v0-2");
        assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
        assertThat(fatal).isEmpty();
    }

    @Test
    void a_commit_timeout_retries_the_commit_and_never_aborts() {
        consumer.append(TOPIC, 0, 4);
        consumer.assignOnFirstPoll(P0);
        start(p -> p.failNextCommits(new TimeoutException("commit timed out"), new TimeoutException("again")),
                copyToOut());

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 4);
        TxProducer p = producers.get(0);
        assertThat(p.aborts).isZero();
        assertThat(p.commitAttempts).isEqualTo(3);
        assertThat(reads(0)).as("read once: the same transaction was committed").isEqualTo(1);
        assertThat(committedOutputs(p)).containsExactly("v0-0", "v0-1", "v0-2", "v0-3");
        assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
    }

    @Test
    void a_fenced_producer_is_recreated_with_the_same_transactional_id_and_the_loop_rewinds() {
        consumer.append(TOPIC, 0, 4);
        consumer.assignOnFirstPoll(P0);
        start(p -> {
            if (producers.isEmpty()) {
                p.failNextCommits(new ProducerFencedException("another producer with this transactional.id"));
            }
        }, copyToOut());

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 4);
        assertThat(producers).hasSize(2);
        TxProducer first = producers.get(0);
        TxProducer second = producers.get(1);
        assertThat(first.closed()).isTrue();
        assertThat(committedOutputs(first)).isEmpty();
        assertThat(second.transactionInitialized()).isTrue();
        assertThat(committedOutputs(second)).containsExactly("v0-0", "v0-1", "v0-2", "v0-3");
        assertThat(reads(0)).isEqualTo(2);
        assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
    }

    @Test
    void a_producer_fenced_while_sending_is_recreated_too() {
        consumer.append(TOPIC, 0, 2);
        consumer.assignOnFirstPoll(P0);
        start(p -> { }, (v, r, out) -> {
            if (producers.size() == 1) {
                producers.get(0).fenceProducer(); // the next send throws (wrapped) ProducerFencedException
            }
            out.send("out", r.key(), v.getBytes(StandardCharsets.UTF_8));
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 2);
        assertThat(producers).hasSize(2);
        assertThat(committedOutputs(producers.get(1))).containsExactly("v0-0", "v0-1");
    }

    @Test
    void a_producer_fenced_again_and_again_is_fatal() {
        consumer.append(TOPIC, 0, 2);
        consumer.assignOnFirstPoll(P0);
        start(p -> p.failNextCommits(new ProducerFencedException("fenced")), copyToOut());

        await().atMost(Duration.ofSeconds(10)).until(() -> !fatal.isEmpty());
        assertThat(fatal).containsExactly("loop tx-loop");
        assertThat(loop.state()).isEqualTo(LoopState.FAILED);
        assertThat(producers).hasSize(TransactionalLoop.MAX_RECREATIONS + 1);
        assertThat(consumer.committedOffset(P0)).isEqualTo(-1);
    }

    @Test
    void an_out_of_order_sequence_is_fatal() {
        consumer.append(TOPIC, 0, 2);
        consumer.assignOnFirstPoll(P0);
        start(p -> p.failNextCommits(new OutOfOrderSequenceException("broker lost data")), copyToOut());

        await().atMost(Duration.ofSeconds(10)).until(() -> !fatal.isEmpty());
        assertThat(loop.state()).isEqualTo(LoopState.FAILED);
        assertThat(loop.readiness().detail()).isEqualTo("stopped after a fatal error; see the log");
        assertThat(producers).hasSize(1);
    }

    @Test
    void a_retriable_handler_failure_commits_what_is_done_and_backs_off_outside_the_transaction() {
        consumer.append(TOPIC, 0, 5);
        consumer.assignOnFirstPoll(P0);
        List<String> atRetry = new CopyOnWriteArrayList<>();
        int[] failuresLeft = {1};
        start(p -> { }, (v, r, out) -> {
            if (r.offset() == 3) {
                TxProducer p = producers.get(0);
                if (failuresLeft[0]-- > 0) {
                    throw new IllegalStateException("downstream hiccup");
                }
                // the second attempt: what came before was committed before the backoff
                atRetry.add("committed=" + consumer.committedOffset(P0) + " commits=" + p.commitCount());
            }
            out.send("out", r.key(), v.getBytes(StandardCharsets.UTF_8));
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 5);
        assertThat(atRetry).containsExactly("committed=3 commits=1");
        TxProducer p = producers.get(0);
        assertThat(p.aborts).isZero();
        assertThat(committedOutputs(p)).containsExactly("v0-0", "v0-1", "v0-2", "v0-3", "v0-4");
        assertThat(reads(3)).isEqualTo(2);
        assertThat(reads(0)).isEqualTo(1);
    }

    @Test
    void a_slow_poll_is_committed_in_several_transactions_none_open_longer_than_the_limit() {
        consumer.append(TOPIC, 0, 10);
        consumer.assignOnFirstPoll(P0);
        start(p -> { }, (v, r, out) -> {
            Thread.sleep(40); // a slow processor: 10 records take 400 ms
            out.send("out", r.key(), v.getBytes(StandardCharsets.UTF_8));
        }, Duration.ofMillis(100));

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committedOffset(P0) == 10);
        TxProducer p = producers.get(0);
        assertThat(p.commitCount()).as("one poll, several transactions").isGreaterThanOrEqualTo(3);
        assertThat(committedOutputs(p)).hasSize(10).doesNotHaveDuplicates();
        assertThat(p.aborts).isZero();
    }

    @Test
    void a_generic_kafka_error_wrapping_a_fenced_producer_means_recreate() {
        assertThat(TransactionErrors.recoveryFor(new KafkaException("error state", new ProducerFencedException("x"))))
                .isEqualTo(TransactionErrors.Recovery.RECREATE_PRODUCER);
        assertThat(TransactionErrors.recoveryFor(new InvalidProducerEpochException("x")))
                .isEqualTo(TransactionErrors.Recovery.ABORT);
        assertThat(TransactionErrors.recoveryFor(new KafkaException("x", new OutOfOrderSequenceException("y"))))
                .isEqualTo(TransactionErrors.Recovery.FATAL);
    }
}
