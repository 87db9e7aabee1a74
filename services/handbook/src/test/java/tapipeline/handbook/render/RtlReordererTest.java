package tapipeline.handbook.render;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtlReordererTest {

    @Test
    void harakatPresentationFormsMapBackToCombiningMarks() {
        assertThat(RtlReorderer.combiningMark('\uFE77')).isEqualTo('\u064E'); // fatha medial
        assertThat(RtlReorderer.combiningMark('\uFE76')).isEqualTo('\u064E');
        assertThat(RtlReorderer.combiningMark('\uFE79')).isEqualTo('\u064F'); // damma
        assertThat(RtlReorderer.combiningMark('\uFE7B')).isEqualTo('\u0650'); // kasra
        assertThat(RtlReorderer.combiningMark('\uFE7D')).isEqualTo('\u0651'); // shadda
        assertThat(RtlReorderer.combiningMark('\uFE7F')).isEqualTo('\u0652'); // sukun
        assertThat(RtlReorderer.combiningMark('\uFE71')).isEqualTo('\u064B'); // fathatan
        assertThat(RtlReorderer.combiningMark('\uFE72')).isEqualTo('\u064C');
        assertThat(RtlReorderer.combiningMark('\uFE74')).isEqualTo('\u064D');
        assertThat(RtlReorderer.combiningMark('\uFE73')).isEqualTo('\0');       // tail fragment: not a mark
        assertThat(RtlReorderer.combiningMark('\uFEDF')).isEqualTo('\0');       // initial lam stays
    }

    @Test
    void shapingJoinsLettersAndKeepsMarksCombining() {
        String shaped = new RtlReorderer().shapeText("\u0645\u064F\u062D\u064E\u0645\u064E\u0651\u062F"); // مُحَمَّد
        assertThat(shaped).isEqualTo("\uFEE3\u064F\uFEA4\u064E\uFEE4\u064E\u0651\uFEAA");
    }
}
