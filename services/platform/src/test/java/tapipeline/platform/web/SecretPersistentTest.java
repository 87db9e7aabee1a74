package tapipeline.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret that must survive restarts: configured, or generated once and kept owner-only in a file. */
class SecretPersistentTest {

    @Test
    void a_generated_key_is_kept_and_used_again(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("offers").resolve("token-secret");
        Secret first = Secret.persistent("X_SECRET", "", file);
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Secret again = Secret.persistent("X_SECRET", "", file);
        assertThat(again.sign("offer:o-1")).isEqualTo(first.sign("offer:o-1"));
        Files.delete(file);
        assertThat(Secret.persistent("X_SECRET", "", file).sign("offer:o-1")).isNotEqualTo(first.sign("offer:o-1"));
    }

    @Test
    void a_configured_key_wins_and_must_be_long_enough(@TempDir Path dir) {
        Path file = dir.resolve("never-written");
        Secret a = Secret.persistent("X_SECRET", "a configured secret of forty characters!", file);
        Secret b = Secret.persistent("X_SECRET", "a configured secret of forty characters!", file);
        assertThat(a.sign("x")).isEqualTo(b.sign("x"));
        assertThat(file).doesNotExist();
        assertThatThrownBy(() -> Secret.persistent("X_SECRET", "short", file))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X_SECRET").hasMessageContaining("32");
    }
}
