package tapipeline.schemas.handbook;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;
import tapipeline.schemas.support.Checks;

/**
 * A rendered file, addressed by its content (payload of {@code handbook.artifacts}, keyed by sha256).
 *
 * <p>The constructor checks that {@code sha256} and {@code size} match the bytes, so a corrupted
 * artifact never gets past decoding. The byte array is copied on the way in and out; in JSON it is
 * base64.
 *
 * @param sha256      lower-case hex SHA-256 of {@code bytes}
 * @param contentType media type, e.g. {@code application/pdf}
 * @param size        number of bytes
 */
public record HandbookArtifact(String sha256, String contentType, long size, byte[] bytes) {

    public static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** A bare media type such as {@code application/pdf} (no parameters). */
    public static final Pattern CONTENT_TYPE = Pattern.compile("[a-z]+/[A-Za-z0-9.+-]+");
    public static final String PDF = "application/pdf";

    public HandbookArtifact {
        Checks.matches(sha256, SHA256, "HandbookArtifact.sha256");
        Checks.matches(contentType, CONTENT_TYPE, "HandbookArtifact.contentType");
        Checks.nonNull(bytes, "HandbookArtifact.bytes");
        if (size != bytes.length) {
            throw new IllegalArgumentException(
                    "HandbookArtifact.size (" + size + ") does not match the " + bytes.length + " bytes");
        }
        String actual = sha256Hex(bytes);
        if (!actual.equals(sha256)) {
            throw new IllegalArgumentException(
                    "HandbookArtifact.sha256 (" + sha256 + ") does not match the bytes (" + actual + ")");
        }
        bytes = bytes.clone();
    }

    /** Builds an artifact, computing hash and size. */
    public static HandbookArtifact of(String contentType, byte[] bytes) {
        Checks.nonNull(bytes, "HandbookArtifact.bytes");
        return new HandbookArtifact(sha256Hex(bytes), contentType, bytes.length, bytes);
    }

    /** A copy of the content. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HandbookArtifact that
                && sha256.equals(that.sha256)
                && contentType.equals(that.contentType)
                && size == that.size
                && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        return "HandbookArtifact[sha256=" + sha256 + ", contentType=" + contentType + ", size=" + size + "]";
    }
}
