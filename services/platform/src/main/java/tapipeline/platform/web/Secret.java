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
        if (configured.length() < 32) {
            throw new IllegalArgumentException("WEB_SESSION_SECRET: at least 32 characters are needed, got "
                    + configured.length());
        }
        return new Secret(configured.getBytes(StandardCharsets.UTF_8));
    }

    public static Secret random() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return new Secret(b);
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
