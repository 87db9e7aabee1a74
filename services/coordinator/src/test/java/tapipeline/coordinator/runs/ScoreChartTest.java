package tapipeline.coordinator.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.assignment.RunProgress.Phase;

class ScoreChartTest {

    @Test
    void pointsWithAScoreAreDrawnBetterHigherAndDescribedInWords() {
        ScoreChart c = ScoreChart.of(List.of(
                new RunBoard.Point(0, Phase.STARTING, null, false, 0, 10),
                new RunBoard.Point(1000, Phase.CONSTRUCTION, "0hard/-30medium/-500soft", true, 7, 3),
                new RunBoard.Point(2000, Phase.LOCAL_SEARCH, "0hard/-10medium/-100soft", true, 9, 1)));
        assertThat(c.empty()).isFalse();
        String[] soft = c.softPoints().split(" ");
        assertThat(soft).hasSize(2);
        double firstY = Double.parseDouble(soft[0].split(",")[1]);
        double lastY = Double.parseDouble(soft[1].split(",")[1]);
        assertThat(lastY).as("a better score is drawn higher (smaller y)").isLessThan(firstY);
        assertThat(Double.parseDouble(soft[1].split(",")[0])).isEqualTo(ScoreChart.WIDTH - ScoreChart.PAD);
        assertThat(c.summary()).isEqualTo(
                "Best score went from 0hard/-30medium/-500soft to 0hard/-10medium/-100soft over 2.0 s; filled slots from 7 to 9 of 10.");
    }

    @Test
    void aFilledSlotThatCostsSoftPointsIsStillAStepUp() {
        ScoreChart c = ScoreChart.of(List.of(
                new RunBoard.Point(0, Phase.CONSTRUCTION, "0hard/-20medium/-100soft", true, 8, 2),
                new RunBoard.Point(500, Phase.LOCAL_SEARCH, "0hard/-10medium/-900soft", true, 9, 1),
                new RunBoard.Point(900, Phase.LOCAL_SEARCH, "0hard/-10medium/-800soft", true, 9, 1)));
        String[] p = c.softPoints().split(" ");
        double y0 = Double.parseDouble(p[0].split(",")[1]);
        double y1 = Double.parseDouble(p[1].split(",")[1]);
        double y2 = Double.parseDouble(p[2].split(",")[1]);
        assertThat(y1).isLessThan(y0);
        assertThat(y2).isLessThan(y1);
    }

    @Test
    void noScoreYetIsSaidSo() {
        ScoreChart c = ScoreChart.of(List.of(new RunBoard.Point(0, Phase.QUEUED, null, false, 0, 4)));
        assertThat(c.empty()).isTrue();
        assertThat(c.summary()).isEqualTo("No score yet.");
        assertThat(ScoreChart.levels("-2hard/-40medium/-1200soft")).containsExactly(-2, -40, -1200);
    }
}
