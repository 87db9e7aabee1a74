package tapipeline.publisher.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.schemas.handbook.HandbookArtifact;

class ArtifactStoreTest {

    @TempDir
    Path dir;

    @Test
    void stores_bytes_under_their_sha256_and_reads_them_back() throws Exception {
        byte[] pdf = "%PDF-1.7 hello".getBytes(StandardCharsets.US_ASCII);
        String sha = HandbookArtifact.sha256Hex(pdf);
        new ArtifactStore(dir).put(sha, pdf);
        assertThat(Files.readAllBytes(dir.resolve(sha + ".pdf"))).isEqualTo(pdf);
        assertThat(new ArtifactStore(dir).get(sha)).hasValue(pdf);
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(1); // no temporary file left behind
        }
    }

    @Test
    void refuses_names_that_are_not_a_sha256_and_bytes_of_another_hash() {
        ArtifactStore store = new ArtifactStore(dir);
        for (String name : new String[] {"../../etc/passwd", "A".repeat(64), "0".repeat(63), "/tmp/x", ""}) {
            assertThatThrownBy(() -> store.get(name)).as(name).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.put("0".repeat(64), new byte[] {1})).hasMessageContaining("cannot be stored");
    }

    @Test
    void a_file_changed_on_disk_is_dropped_and_reported_missing() throws Exception {
        byte[] pdf = "%PDF-1.7 hello".getBytes(StandardCharsets.US_ASCII);
        String sha = HandbookArtifact.sha256Hex(pdf);
        new ArtifactStore(dir).put(sha, pdf);
        Files.write(dir.resolve(sha + ".pdf"), "tampered".getBytes(StandardCharsets.US_ASCII));
        assertThat(new ArtifactStore(dir).get(sha)).isEmpty();
        assertThat(dir.resolve(sha + ".pdf")).doesNotExist();
    }
}
