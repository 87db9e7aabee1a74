package tapipeline.platform.testing.web;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A missing browser skips a browser test locally and fails it in CI, so CI cannot skip silently. */
class BrowserAvailabilityTest {

    @Test
    void missing_chromium_skips_locally_and_fails_in_ci() {
        assertThatThrownBy(() -> Browser.requireInstalled("/nonexistent/chromium", "/bin/sh", null))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("/nonexistent/chromium");
        assertThatThrownBy(() -> Browser.requireInstalled("/nonexistent/chromium", "/bin/sh", "false"))
                .isInstanceOf(TestAbortedException.class);
        assertThatThrownBy(() -> Browser.requireInstalled("/bin/sh", "/nonexistent/chromedriver", "true"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("cannot run in CI")
                .hasMessageContaining("/nonexistent/chromedriver");
        assertThatCode(() -> Browser.requireInstalled("/bin/sh", "/bin/sh", "true")).doesNotThrowAnyException();
    }
}
