package tapipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tapipeline.platform.config.ConfigException;

/** Burrow's rules as the monitor applies them over a window of polls (a = committed, b = end offset). */
class LagStatusTest {

    private static List<Ring.Sample> window(long[][] committedAndEnd) {
        List<Ring.Sample> out = new ArrayList<>();
        for (int i = 0; i < committedAndEnd.length; i++) {
            out.add(new Ring.Sample(1000L * i, committedAndEnd[i][0], committedAndEnd[i][1]));
        }
        return out;
    }

    @Test
    void no_lag_is_ok_even_without_members() {
        assertThat(LagStatus.judge(window(new long[][] {{5, 5}, {5, 5}, {5, 5}}), true, false).status())
                .isEqualTo(LagStatus.OK);
    }

    @Test
    void lag_that_no_member_consumes_is_stopped_unless_it_was_zero_in_the_window() {
        assertThat(LagStatus.judge(window(new long[][] {{5, 6}, {5, 7}, {5, 8}}), true, false).status())
                .isEqualTo(LagStatus.STOPPED);
        assertThat(LagStatus.judge(window(new long[][] {{5, 5}, {5, 7}, {5, 8}}), true, false).status())
                .isEqualTo(LagStatus.OK);
    }

    @Test
    void an_offset_that_went_back_and_has_not_recovered_is_rewound() {
        LagStatus.Judgement j = LagStatus.judge(window(new long[][] {{50, 60}, {10, 60}, {20, 60}}), true, true);
        assertThat(j.status()).isEqualTo(LagStatus.REWOUND);
        assertThat(j.reason()).contains("from 50 to 10");
        assertThat(LagStatus.judge(window(new long[][] {{50, 60}, {10, 60}, {55, 60}}), true, true).status())
                .isEqualTo(LagStatus.OK);
    }

    @Test
    void a_full_window_with_lag_and_an_offset_that_never_moved_is_stalled_but_not_before_the_window_is_full() {
        long[][] w = {{5, 9}, {5, 9}, {5, 9}};
        assertThat(LagStatus.judge(window(w), true, true).status()).isEqualTo(LagStatus.STALLED);
        assertThat(LagStatus.judge(window(w), false, true).status()).isEqualTo(LagStatus.OK);
    }

    @Test
    void an_offset_that_moves_while_the_lag_never_goes_down_is_a_warning() {
        assertThat(LagStatus.judge(window(new long[][] {{5, 10}, {6, 12}, {7, 14}}), true, true).status())
                .isEqualTo(LagStatus.WARNING);
        assertThat(LagStatus.judge(window(new long[][] {{5, 10}, {8, 12}, {9, 14}}), true, true).status())
                .isEqualTo(LagStatus.OK);
    }

    @Test
    void a_group_is_as_bad_as_its_worst_partition() {
        assertThat(LagStatus.OK.worse(LagStatus.WARNING)).isEqualTo(LagStatus.WARNING);
        assertThat(LagStatus.STOPPED.worse(LagStatus.STALLED)).isEqualTo(LagStatus.STOPPED);
        assertThat(LagStatus.REWOUND.worse(LagStatus.WARNING)).isEqualTo(LagStatus.REWOUND);
    }

    @Test
    void service_urls_are_name_equals_url_and_a_bad_one_names_the_key() {
        assertThat(ServiceDirectory.parse("K", "solver=http://a:8083, solver=http://b:8083,handbook=https://h"))
                .containsOnlyKeys("solver", "handbook").extractingByKey("solver").asList().hasSize(2);
        assertThat(ServiceDirectory.parse("K", "")).isEmpty();
        assertThatThrownBy(() -> ServiceDirectory.parse("MONITOR_SERVICE_URLS", "solver"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MONITOR_SERVICE_URLS").hasMessageContaining("name=url");
        assertThatThrownBy(() -> ServiceDirectory.parse("MONITOR_SERVICE_URLS", "solver=ftp://x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http(s)://host:port");
    }
}
