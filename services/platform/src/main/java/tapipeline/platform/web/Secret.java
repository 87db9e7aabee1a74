package tapipeline.platform.web;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HMAC-SHA256 key that signs session cookies and CSRF tokens. */
public final class Secret {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Secret.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    private Secret(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** From WEB_SESSION_SECRET; when empty, a random key for this process only, with a WARN. */
    public static Secret fromConfig(String configured) {
        if (configured == null || configured.isEmpty()) {
            log.warn("WEB_SESSION_SECRET is not set: using a random secret for this process; sessions do not"
                    + " survive a restart nor span several instances");
            return random();
        }
        return configured("WEB_SESSION_SECRET", configured);
    }

    /**
     * From {@code configured} (at least 32 characters) when it is set; otherwise a random key generated
     * once and kept in {@code file} (created owner-only), with a WARN naming {@code keyName}: what must
     * survive a restart (signed links already sent) on a single host in development. Several instances
     * need the same configured value.
     */
    public static Secret persistent(String keyName, String configured, java.nio.file.Path file) {
        if (configured != null && !configured.isEmpty()) {
            return configured(keyName, configured);
        }
        try {
            if (java.nio.file.Files.isRegularFile(file)) {
                byte[] kept = Base64.getUrlDecoder().decode(java.nio.file.Files.readString(file).trim());
                if (kept.length < 32) {
                    throw new IllegalStateException(keyName + ": the kept key in " + file + " is too short; delete it");
                }
                log.warn("{} is not set: using the key kept in {} (set the same {} on every instance)", keyName, file, keyName);
                return new Secret(kept);
            }
            byte[] b = randomKey();
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            java.nio.file.Files.deleteIfExists(tmp);
            try {
                java.nio.file.Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                java.nio.file.Files.createFile(tmp);
            }
            java.nio.file.Files.writeString(tmp, B64.encodeToString(b));
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.warn("{} is not set: generated a key and kept it in {}; it survives restarts of this instance only"
                    + " (set the same {} on every instance)", keyName, file, keyName);
            return new Secret(b);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(keyName + " is not set and no key can be kept in " + file + ": " + e.getMessage(), e);
        }
    }

    public static Secret random() {
        return new Secret(randomKey());
    }

    /** A configured key: its UTF-8 bytes, refused below 32 characters (naming the setting). */
    private static Secret configured(String keyName, String configured) {
        if (configured.length() < 32) {
            throw new IllegalArgumentException(keyName + ": at least 32 characters are needed, got " + configured.length());
        }
        return new Secret(configured.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] randomKey() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** base64url(HMAC-SHA256(key, text)). */
    public String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return B64.encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time check that {@code signature} is {@link #sign}({@code text}). */
    public boolean verify(String text, String signature) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(text).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
