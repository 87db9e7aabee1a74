package tapipeline.platform.web;

import java.util.Arrays;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;

/**
 * argon2id password hashes (argon2-jvm, the reference C implementation through JNA) with OWASP's
 * parameters: 19 MiB of memory, 2 iterations, 1 lane; 16-byte salt, 32-byte hash. The encoded form
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}) carries its parameters, so stronger settings
 * later still verify old hashes. The C library compares in constant time.
 */
public final class PasswordHasher {

    public static final int MEMORY_KIB = 19 * 1024;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    /** Passwords longer than this are refused before hashing (a denial-of-service guard). */
    public static final int MAX_PASSWORD_CHARS = 1024;

    private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, 16, 32);
    /** Verified against when the account does not exist, so that answer takes as long as a wrong password. */
    private final String dummyHash;

    public PasswordHasher() {
        this.dummyHash = hash("not a password of anyone".toCharArray());
    }

    public String hash(char[] password) {
        check(password);
        try {
            return argon2.hash(ITERATIONS, MEMORY_KIB, PARALLELISM, password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Whether {@code password} matches {@code encodedHash}. A null hash (unknown account) is checked
     * against a dummy hash, costing the same time, and is always false.
     */
    public boolean verify(String encodedHash, char[] password) {
        try {
            if (password == null || password.length > MAX_PASSWORD_CHARS) {
                return false;
            }
            boolean known = encodedHash != null && encodedHash.startsWith("$argon2");
            boolean ok = argon2.verify(known ? encodedHash : dummyHash, password);
            return known && ok;
        } catch (RuntimeException e) {
            return false;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static void check(char[] password) {
        if (password.length == 0) {
            throw new IllegalArgumentException("a password cannot be empty");
        }
        if (password.length > MAX_PASSWORD_CHARS) {
            throw new IllegalArgumentException("a password has at most " + MAX_PASSWORD_CHARS + " characters");
        }
    }
}
