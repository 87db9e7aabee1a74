package tapipeline.platform.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void a_valid_traceparent_round_trips_and_invalid_ones_are_refused() {
        assertThat(TraceContext.parse(PARENT)).get().extracting(TraceContext::header).isEqualTo(PARENT);
        assertThat(TraceContext.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isEmpty();
        assertThat(TraceContext.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.parse("garbage")).isEmpty();
        assertThat(TraceContext.parse(null)).isEmpty();
        assertThat(TraceContext.parse(TraceContext.newTrace().header())).isPresent();
    }

    @Test
    void a_record_sent_outside_any_scope_starts_a_new_trace() {
        RecordHeaders a = new RecordHeaders();
        RecordHeaders b = new RecordHeaders();
        TraceContext ta = TraceContext.stamp(a);
        TraceContext tb = TraceContext.stamp(b);
        assertThat(ta.traceId()).isNotEqualTo(tb.traceId());
        assertThat(TraceContext.of(a)).contains(ta);
    }

    @Test
    void a_record_sent_while_handling_another_is_its_child_and_the_scope_ends() {
        RecordHeaders consumed = new RecordHeaders();
        consumed.add(TraceContext.HEADER, PARENT.getBytes(StandardCharsets.UTF_8));
        RecordHeaders produced = new RecordHeaders();
        try (TraceContext.Scope s = TraceContext.scope(consumed)) {
            TraceContext child = TraceContext.stamp(produced);
            assertThat(child.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(child.spanId()).isNotEqualTo("00f067aa0ba902b7");
            assertThat(child.flags()).isEqualTo("01");
        }
        assertThat(TraceContext.current()).isEmpty();
        assertThat(TraceContext.stamp(new RecordHeaders()).traceId()).isNotEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void a_record_that_carries_a_traceparent_keeps_it() {
        RecordHeaders own = new RecordHeaders();
        own.add(TraceContext.HEADER, PARENT.getBytes(StandardCharsets.UTF_8));
        try (TraceContext.Scope s = TraceContext.enter(TraceContext.newTrace())) {
            assertThat(TraceContext.stamp(own).header()).isEqualTo(PARENT);
        }
        assertThat(own.headers(TraceContext.HEADER)).hasSize(1);
    }

    @Test
    void the_interceptor_stamps_what_a_producer_sends_in_the_scope_of_the_record_in_hand() {
        TraceInterceptor interceptor = new TraceInterceptor();
        RecordHeaders consumed = new RecordHeaders();
        consumed.add(TraceContext.HEADER, PARENT.getBytes(StandardCharsets.UTF_8));
        ProducerRecord<Object, Object> out = new ProducerRecord<>("t", "k", "v");
        try (TraceContext.Scope s = TraceContext.scope(consumed)) {
            interceptor.onSend(out);
        }
        assertThat(TraceContext.of(out.headers())).get().extracting(TraceContext::traceId)
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void nested_scopes_restore_the_outer_one() {
        TraceContext outer = TraceContext.newTrace();
        TraceContext inner = TraceContext.newTrace();
        try (TraceContext.Scope o = TraceContext.enter(outer)) {
            try (TraceContext.Scope i = TraceContext.enter(inner)) {
                assertThat(TraceContext.current()).contains(inner);
            }
            assertThat(TraceContext.current()).contains(outer);
        }
        assertThat(TraceContext.current()).isEmpty();
    }
}
