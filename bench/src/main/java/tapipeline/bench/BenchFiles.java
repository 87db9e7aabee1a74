package tapipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File chores the benchmarks share. */
public final class BenchFiles {

    private BenchFiles() {
    }

    /**
     * Deletes a benchmark's temporary directory and everything in it, deepest first; a file that cannot
     * be deleted is left behind (it is a temporary directory).
     */
    public static void deleteTempTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
