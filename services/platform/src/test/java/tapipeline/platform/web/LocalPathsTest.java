package tapipeline.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/dashboard", "/runs/42?tab=review", "/a/b#c"})
    void accepts_local_paths(String next) {
        assertThat(LocalPaths.safeNext(next, "/home")).isEqualTo(next);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
            "javascript:alert(1)", "evil.example", "/ok\r\nSet-Cookie: x=1", "/a\tb", "", "http:/x"})
    void refuses_anything_that_could_leave_the_site(String next) {
        assertThat(LocalPaths.safeNext(next, "/home")).isEqualTo("/home");
    }
}
