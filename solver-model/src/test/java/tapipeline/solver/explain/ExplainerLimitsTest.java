package tapipeline.solver.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** A slot's reasons stay within what the run.completed schema accepts (1,000), saying how many were left out. */
class ExplainerLimitsTest {

    private static List<String> reasons(int n) {
        return IntStream.range(0, n).mapToObj(i -> "reason " + i).toList();
    }

    @Test
    void reasons_up_to_the_limit_are_kept_whole() {
        assertThat(Explainer.capped(reasons(Explainer.MAX_REASONS))).isEqualTo(reasons(Explainer.MAX_REASONS));
    }

    @Test
    void more_reasons_than_the_limit_end_with_how_many_were_left_out() {
        List<String> out = Explainer.capped(reasons(Explainer.MAX_REASONS + 250));
        assertThat(out).hasSize(Explainer.MAX_REASONS);
        assertThat(out.subList(0, Explainer.MAX_REASONS - 1)).isEqualTo(reasons(Explainer.MAX_REASONS - 1));
        assertThat(out.get(Explainer.MAX_REASONS - 1)).isEqualTo("and 251 more reasons not listed");
    }
}
