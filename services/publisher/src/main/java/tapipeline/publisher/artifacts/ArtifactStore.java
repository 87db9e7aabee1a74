package tapipeline.publisher.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import tapipeline.schemas.handbook.HandbookArtifact;

/**
 * Verified artifact bytes on local disk, addressed by their content: the file of an artifact is
 * {@code <dir>/<sha256>.pdf}. A file name is only ever made from a validated lower-case hex sha256, so
 * no request can name a path outside the directory, and a file is only written for bytes whose
 * sha256 is its name (written to a temporary file, then moved into place). The disk is a cache: a
 * missing file is fetched again from {@code handbook.artifacts} ({@link ArtifactSource}).
 *
 * <p>The bytes of files read are kept in memory (a handbook is a few hundred kB and only the editions
 * students download are read), so downloads never touch the disk twice.
 */
public final class ArtifactStore {

    private final Path dir;
    private final ConcurrentMap<String, byte[]> cache = new ConcurrentHashMap<>();

    public ArtifactStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the artifact directory " + this.dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Whether the string is a sha256 this store accepts as a name (64 lower-case hex digits). */
    public static boolean isSha256(String s) {
        return s != null && HandbookArtifact.SHA256.matcher(s).matches();
    }

    /** The file of an artifact; refuses anything that is not a sha256. */
    Path file(String sha256) {
        if (!isSha256(sha256)) {
            throw new IllegalArgumentException("not a sha256 (64 lower-case hex digits): " + abbreviate(sha256));
        }
        return dir.resolve(sha256 + ".pdf");
    }

    /** Stores bytes under their sha256, which must equal {@code sha256}; a file already there is kept. */
    public void put(String sha256, byte[] bytes) {
        Path target = file(sha256);
        String actual = HandbookArtifact.sha256Hex(bytes);
        if (!actual.equals(sha256)) {
            throw new IllegalArgumentException("bytes of sha256 " + actual + " cannot be stored as " + sha256);
        }
        if (Files.exists(target)) {
            return;
        }
        try {
            Path tmp = Files.createTempFile(dir, ".incoming-", ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write artifact " + sha256 + " to " + dir, e);
        }
    }

    /**
     * The bytes stored under this sha256, if the file exists and still hashes to its name (a file
     * changed on disk is deleted and reported missing, so it is fetched again).
     */
    public Optional<byte[]> get(String sha256) {
        byte[] cached = cache.get(sha256);
        if (cached != null) {
            return Optional.of(cached);
        }
        Path f = file(sha256);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(f);
            if (!HandbookArtifact.sha256Hex(bytes).equals(sha256)) {
                Files.deleteIfExists(f);
                return Optional.empty();
            }
            cache.put(sha256, bytes);
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + f, e);
        }
    }

    /**
     * Waits up to {@code timeout} for the file of this sha256 to be stored (by the
     * {@link ArtifactFollower}, which reads the artifact from the same transaction as its rendered
     * event), then returns it like {@link #get}.
     */
    public Optional<byte[]> await(String sha256, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<byte[]> bytes = get(sha256);
            if (bytes.isPresent() || System.nanoTime() > deadline) {
                return bytes;
            }
            Thread.sleep(5);
        }
    }

    /**
     * The stored file of this sha256, opened for reading, if its content is exactly {@code verified}
     * (read and compared once, here); empty when the file is missing or differs. The download front
     * sends an edition from this channel with {@code sendfile}. The store only ever replaces a file by
     * moving a new one into place, so an open channel keeps reading the bytes that were compared.
     */
    public Optional<FileChannel> open(String sha256, byte[] verified) {
        Path f = file(sha256);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(f, StandardOpenOption.READ);
            ByteBuffer content = ByteBuffer.allocate(verified.length);
            while (content.hasRemaining() && ch.read(content, content.position()) > 0) {
                // read until the buffer is full or the file ends
            }
            if (content.hasRemaining() || ch.size() != verified.length || !Arrays.equals(content.array(), verified)) {
                ch.close();
                return Optional.empty();
            }
            return Optional.of(ch);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the channel is given up anyway
                }
            }
            return Optional.empty();
        }
    }

    /** Whether the file of this sha256 is on disk (without reading it). */
    public boolean onDisk(String sha256) {
        return Files.isRegularFile(file(sha256));
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
