package tapipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ChartAndInputTest {

    @Test
    void a_chart_scales_its_points_to_the_view_box_and_says_the_same_in_words() {
        Chart c = Chart.of("Total lag", "records", List.of(new double[] {0, 0}, new double[] {60_000, 10},
                new double[] {120_000, 5}));
        assertThat(c.empty()).isFalse();
        assertThat(c.points()).isEqualTo("0.0,158.0 300.0,2.0 600.0,80.0");
        assertThat(c.summary()).contains("highest 10 records").contains("now 5 records").contains("3 samples");
        assertThat(Chart.of("x", "y", List.of(new double[] {0, 1})).empty()).isTrue();
    }

    @Test
    void only_dead_letter_topics_with_plain_names_can_be_opened() {
        DeadLetters.requireDeadLetterTopic("audit.dlq");
        assertThatThrownBy(() -> DeadLetters.requireDeadLetterTopic("audit")).hasMessageContaining("<topic>.dlq");
        assertThatThrownBy(() -> DeadLetters.requireDeadLetterTopic("../etc.dlq")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeadLetters.requireDeadLetterTopic(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durations_read_as_an_operator_would_say_them() {
        assertThat(Fmt.seconds(0)).isEqualTo("0 s");
        assertThat(Fmt.seconds(95)).isEqualTo("95 s");
        assertThat(Fmt.seconds(3725)).isEqualTo("62 min 5 s");
        assertThat(Fmt.seconds(90_000)).isEqualTo("25 h 0 min");
        assertThat(Fmt.catchUp(null)).isEqualTo("not catching up at the current rates");
    }
}
