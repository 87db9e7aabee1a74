package tapipeline.publisher.site;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownloadsTest {

    @Test
    void content_disposition_has_an_ascii_name_and_the_exact_utf8_name() {
        String h = Downloads.contentDisposition("Zoë's \"AI\" – 2026-2027 100%;.pdf");
        assertThat(h).isEqualTo("inline; filename=\"Zoe's _AI_ - 2026-2027 100__.pdf\"; "
                + "filename*=UTF-8''Zo%C3%AB%27s%20%22AI%22%20%E2%80%93%202026-2027%20100%25%3B.pdf");
    }

    @Test
    void non_latin_names_fall_back_to_underscores_in_the_ascii_name() {
        assertThat(Downloads.contentDisposition("手册.pdf")).startsWith("inline; filename=\"__.pdf\"; filename*=UTF-8''%E6%89%8B%E5%86%8C.pdf");
    }

    @Test
    void if_none_match_compares_weakly_and_accepts_lists_and_star() {
        assertThat(Downloads.matches("\"a\", \"b\"", "\"b\"")).isTrue();
        assertThat(Downloads.matches("W/\"b\"", "\"b\"")).isTrue();
        assertThat(Downloads.matches("*", "\"b\"")).isTrue();
        assertThat(Downloads.matches("\"c\"", "\"b\"")).isFalse();
        assertThat(Downloads.matches(null, "\"b\"")).isFalse();
    }
}
