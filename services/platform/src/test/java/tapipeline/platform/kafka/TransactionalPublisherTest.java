package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.junit.jupiter.api.Test;

/** {@link TransactionalPublisher} (the handbook's transaction) on Kafka's MockProducer. */
class TransactionalPublisherTest {

    private final LogConsumer group = new LogConsumer();
    private final List<TxProducer> producers = new ArrayList<>();
    private final List<String> fatal = new ArrayList<>();
    private final List<java.util.function.Consumer<TxProducer>> setups = new ArrayList<>();

    private TransactionalPublisher publisher() {
        TransactionalPublisher p = new TransactionalPublisher("test publisher", () -> {
            TxProducer producer = new TxProducer(group);
            if (producers.size() < setups.size()) {
                setups.get(producers.size()).accept(producer);
            }
            producers.add(producer);
            return producer;
        }, (component, error) -> fatal.add(component), () -> false);
        p.init();
        return p;
    }

    private static List<ProducerRecord<String, byte[]>> pair(String n) {
        return List.of(new ProducerRecord<>("artifacts", n, ("pdf-" + n).getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>("rendered", n, ("event-" + n).getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> committed(TxProducer p) {
        return p.history().stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void a_commit_timeout_is_retried_and_never_aborted() {
        setups.add(p -> p.failNextCommits(new TimeoutException("commit timed out")));
        TransactionalPublisher publisher = publisher();

        publisher.publish(pair("1"));

        TxProducer p = producers.get(0);
        assertThat(p.aborts).isZero();
        assertThat(p.commitAttempts).isEqualTo(2);
        assertThat(committed(p)).containsExactly("pdf-1", "event-1");
    }

    @Test
    void an_abortable_error_aborts_and_the_next_publish_uses_the_same_producer() {
        setups.add(p -> p.failNextCommits(new TransactionAbortableException("abortable")));
        TransactionalPublisher publisher = publisher();

        assertThatThrownBy(() -> publisher.publish(pair("1"))).isInstanceOf(TransactionAbortableException.class);
        publisher.publish(pair("1"));

        assertThat(producers).hasSize(1);
        assertThat(producers.get(0).aborts).isEqualTo(1);
        assertThat(committed(producers.get(0))).containsExactly("pdf-1", "event-1");
    }

    @Test
    void a_fenced_producer_is_replaced_by_a_new_one_before_the_next_publish() {
        setups.add(p -> p.failNextCommits(new ProducerFencedException("another instance")));
        TransactionalPublisher publisher = publisher();

        assertThatThrownBy(() -> publisher.publish(pair("1"))).isInstanceOf(ProducerFencedException.class);
        publisher.publish(pair("1"));

        assertThat(producers).hasSize(2);
        assertThat(producers.get(0).closed()).isTrue();
        assertThat(producers.get(0).aborts).as("a fenced producer is not aborted, it is replaced").isZero();
        assertThat(committed(producers.get(0))).isEmpty();
        assertThat(producers.get(1).transactionInitialized()).isTrue();
        assertThat(committed(producers.get(1))).containsExactly("pdf-1", "event-1");
        assertThat(fatal).isEmpty();
    }

    @Test
    void an_authorization_error_calls_the_fatal_hook() {
        setups.add(p -> p.failNextCommits(new AuthorizationException("not allowed to write")));
        TransactionalPublisher publisher = publisher();

        assertThatThrownBy(() -> publisher.publish(pair("1"))).isInstanceOf(AuthorizationException.class);
        assertThat(fatal).containsExactly("test publisher");
    }
}
