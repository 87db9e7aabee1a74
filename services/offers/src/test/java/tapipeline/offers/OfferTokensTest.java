package tapipeline.offers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tapipeline.platform.web.Secret;

/** A token opens only its own offer: a changed character, another offer's MAC, another secret all fail. */
class OfferTokensTest {

    private static final String SECRET = "an offers token test secret of 40 chars!";
    private final OfferTokens tokens = new OfferTokens(Secret.persistent("OFFERS_TOKEN_SECRET", SECRET, null));

    @Test
    void a_token_names_its_own_offer() {
        String a = OfferPlan.offerId("2027W1", "run-1", "a1");
        assertThat(tokens.verify(tokens.token(a))).contains(a);
    }

    @Test
    void the_mac_of_one_offer_does_not_open_another() {
        String a = OfferPlan.offerId("2027W1", "run-1", "a1");
        String b = OfferPlan.offerId("2027W1", "run-1", "b2");
        String macOfA = tokens.token(a).substring(a.length() + 1);
        assertThat(tokens.verify(b + "." + macOfA)).isEmpty();
    }

    @Test
    void any_one_changed_character_fails() {
        String a = OfferPlan.offerId("2027W1", "run-1", "a1");
        String token = tokens.token(a);
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            char other = c == 'A' ? 'B' : c == '0' ? '1' : c == '.' ? '_' : c == 'a' ? 'b' : 'A';
            String changed = token.substring(0, i) + other + token.substring(i + 1);
            assertThat(tokens.verify(changed)).as("token with position %d changed", i).isEmpty();
        }
        assertThat(tokens.verify(token + "x")).isEmpty();
        assertThat(tokens.verify(token.substring(0, token.length() - 1))).isEmpty();
    }

    @Test
    void a_token_signed_with_another_secret_fails() {
        String a = OfferPlan.offerId("2027W1", "run-1", "a1");
        OfferTokens other = new OfferTokens(Secret.persistent("OFFERS_TOKEN_SECRET",
                "another offers token secret, 40 chars!!", null));
        assertThat(tokens.verify(other.token(a))).isEmpty();
        assertThat(other.verify(tokens.token(a))).isEmpty();
    }

    @Test
    void a_session_signature_of_the_same_id_is_not_an_offer_token() {
        // single purpose: the MAC covers "offer:" + id, so the same key signing the bare id elsewhere opens nothing
        Secret s = Secret.persistent("OFFERS_TOKEN_SECRET", SECRET, null);
        String a = OfferPlan.offerId("2027W1", "run-1", "a1");
        assertThat(tokens.verify(a + "." + s.sign(a))).isEmpty();
        assertThat(tokens.verify(a + "." + s.sign("offer:" + a))).contains(a);
    }

    @Test
    void malformed_tokens_fail() {
        assertThat(tokens.verify(null)).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify("o-123")).isEmpty();
        assertThat(tokens.verify("x".repeat(500))).isEmpty();
        assertThat(tokens.verify("../../etc/passwd.abc")).isEmpty();
    }
}
