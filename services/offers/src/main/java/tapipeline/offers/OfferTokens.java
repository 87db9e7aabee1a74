package tapipeline.offers;

import java.util.Optional;
import java.util.regex.Pattern;

import tapipeline.platform.web.Secret;

/**
 * The token in an offer's link: {@code <offerId>.<base64url HMAC-SHA256(secret, "offer:" + offerId)>}.
 * Nothing is stored: the MAC proves the link was made here for that offer (256 bits, compared in
 * constant time), the {@code offer:} prefix keeps it from being any other signed value of this
 * service, and what the link may still do (its deadline, whether it was answered or withdrawn) comes
 * from the offer's state. Public for the benchmark, which answers offers as TAs do without reading mail.
 */
public final class OfferTokens {

    /** The shape of an offerId made by {@link OfferPlan#offerId}. */
    static final Pattern OFFER_ID = Pattern.compile("o-[0-9a-f]{24}");
    private static final Pattern MAC = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final Secret secret;

    public OfferTokens(Secret secret) {
        this.secret = secret;
    }

    public String token(String offerId) {
        return offerId + "." + secret.sign(purpose(offerId));
    }

    /** The offerId a well-formed token with a valid MAC names; empty for anything else. */
    Optional<String> verify(String token) {
        if (token == null || token.length() > 80) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String offerId = token.substring(0, dot);
        String mac = token.substring(dot + 1);
        if (!OFFER_ID.matcher(offerId).matches() || !MAC.matcher(mac).matches()) {
            return Optional.empty();
        }
        return secret.verify(purpose(offerId), mac) ? Optional.of(offerId) : Optional.empty();
    }

    private static String purpose(String offerId) {
        return "offer:" + offerId;
    }
}
