package tapipeline.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private static final PasswordHasher HASHER = new PasswordHasher();

    @Test
    void hashes_with_argon2id_at_owasp_parameters_and_a_fresh_salt() {
        String a = HASHER.hash("correct horse".toCharArray());
        String b = HASHER.hash("correct horse".toCharArray());
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void verifies_the_right_password_only() {
        String hash = HASHER.hash("correct horse".toCharArray());
        assertThat(HASHER.verify(hash, "correct horse".toCharArray())).isTrue();
        assertThat(HASHER.verify(hash, "correct horsE".toCharArray())).isFalse();
        assertThat(HASHER.verify(hash, "".toCharArray())).isFalse();
        assertThat(HASHER.verify("not a hash", "correct horse".toCharArray())).isFalse();
    }

    @Test
    void an_unknown_account_is_refused_after_the_same_work_as_a_wrong_password() {
        String hash = HASHER.hash("correct horse".toCharArray());
        // warm up, then compare the medians of both paths: the unknown account runs a full argon2id too
        for (int i = 0; i < 2; i++) {
            HASHER.verify(hash, "x".toCharArray());
            HASHER.verify(null, "x".toCharArray());
        }
        long wrong = median(() -> HASHER.verify(hash, "wrong".toCharArray()));
        long unknown = median(() -> assertThat(HASHER.verify(null, "correct horse".toCharArray())).isFalse());
        assertThat((double) unknown).as("unknown %d ns vs wrong %d ns", unknown, wrong)
                .isBetween(wrong * 0.5, wrong * 2.0);
    }

    @Test
    void refuses_empty_and_huge_passwords_when_hashing() {
        assertThatThrownBy(() -> HASHER.hash(new char[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> HASHER.hash(new char[PasswordHasher.MAX_PASSWORD_CHARS + 1])).hasMessageContaining("1024");
        assertThat(HASHER.verify(HASHER.hash("a".toCharArray()), new char[5000])).isFalse();
    }

    private static long median(Runnable r) {
        long[] t = new long[7];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = System.nanoTime() - s;
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }
}
