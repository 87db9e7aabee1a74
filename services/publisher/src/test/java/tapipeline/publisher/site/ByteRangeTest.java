package tapipeline.publisher.site;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void a_closed_range_is_clipped_to_the_size() {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).isEqualTo(new ByteRange.Parsed.Partial(new ByteRange(0, 99)));
        assertThat(ByteRange.parse("bytes=900-5000", 1000)).isEqualTo(new ByteRange.Parsed.Partial(new ByteRange(900, 999)));
    }

    @Test
    void open_and_suffix_ranges() {
        assertThat(ByteRange.parse("bytes=10-", 1000)).isEqualTo(new ByteRange.Parsed.Partial(new ByteRange(10, 999)));
        assertThat(ByteRange.parse("bytes=-10", 1000)).isEqualTo(new ByteRange.Parsed.Partial(new ByteRange(990, 999)));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange.Parsed.Partial(new ByteRange(0, 999)));
    }

    @Test
    void a_range_starting_past_the_end_is_unsatisfiable() {
        assertThat(ByteRange.parse("bytes=1000-", 1000)).isInstanceOf(ByteRange.Parsed.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=-0", 1000)).isInstanceOf(ByteRange.Parsed.Unsatisfiable.class);
    }

    @Test
    void what_does_not_parse_or_asks_for_several_ranges_gets_the_whole_file() {
        for (String h : new String[] {null, "", "items=0-1", "bytes=", "bytes=a-b", "bytes=5-1", "bytes=0-1,5-6",
                "bytes=99999999999999999999-"}) {
            assertThat(ByteRange.parse(h, 1000)).as(h).isInstanceOf(ByteRange.Parsed.Whole.class);
        }
    }
}
