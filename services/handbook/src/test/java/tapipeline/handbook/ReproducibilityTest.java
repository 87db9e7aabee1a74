package tapipeline.handbook;

import org.junit.jupiter.api.Test;
import tapipeline.handbook.model.TermAssignment;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReproducibilityTest {

    @Test
    void sameInputsGiveByteIdenticalPdfsEvenFromSeparateRenderers() throws InterruptedException {
        RenderResult first = Samples.RENDERER.render(Samples.content(), Optional.of(Samples.assignment()));
        Thread.sleep(1100); // a clock-derived date or /ID would now differ
        RenderResult second = new HandbookRenderer().render(Samples.content(), Optional.of(Samples.assignment()));
        assertThat(second.sha256()).isEqualTo(first.sha256());
        assertThat(second.pdf()).isEqualTo(first.pdf());
        assertThat(first.sha256()).isEqualTo(HandbookRenderer.sha256Hex(first.pdf())).hasSize(64);
    }

    @Test
    void rightToLeftHandbookIsReproducibleToo() {
        RenderResult first = Samples.RENDERER.render(RightToLeft.content(), Optional.of(RightToLeft.assignment()));
        RenderResult second = new HandbookRenderer().render(RightToLeft.content(), Optional.of(RightToLeft.assignment()));
        assertThat(second.sha256()).isEqualTo(first.sha256());
        assertThat(second.pdf()).isEqualTo(first.pdf());
    }

    @Test
    void differentAssignmentGivesDifferentBytes() {
        TermAssignment a = Samples.assignment();
        TermAssignment changed = new TermAssignment(a.term(), a.runId(), a.approvedBy(), a.approvedAt(),
                a.courses().subList(0, a.courses().size() - 1));
        RenderResult first = Samples.RENDERER.render(Samples.content(), Optional.of(a));
        RenderResult second = Samples.RENDERER.render(Samples.content(), Optional.of(changed));
        assertThat(second.sha256()).isNotEqualTo(first.sha256());
        assertThat(second.inputHash()).isNotEqualTo(first.inputHash());
    }
}
