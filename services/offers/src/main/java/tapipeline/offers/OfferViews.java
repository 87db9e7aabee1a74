package tapipeline.offers;

import java.time.Instant;

import tapipeline.schemas.offers.Offer;
import tapipeline.schemas.offers.OfferLine;

/** Small text helpers for the coordinators' templates. */
public final class OfferViews {

    private OfferViews() {
    }

    /** One row of the per-course table. */
    public record CourseRow(OfferLine line, Offer offer) {
    }

    /** A message the coordinator sends by hand (no SMTP server, or no address): an offer or a reminder. */
    public record OutboxEntry(Offer offer, String kind, String to, String subject, String text, String link) {
    }

    private static final java.time.format.DateTimeFormatter SHORT = java.time.format.DateTimeFormatter
            .ofPattern("d MMM yyyy HH:mm 'UTC'", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);

    /** A short date and time for the tables (the TA's page and e-mail spell it out). */
    public static String when(Instant at) {
        return at == null ? "" : SHORT.format(at);
    }

    public static String label(Offer.Status s) {
        return switch (s) {
            case QUEUED -> "Queued";
            case SENT -> "Sent";
            case OPENED -> "Opened";
            case ACCEPTED -> "Accepted";
            case DECLINED -> "Declined";
            case EXPIRED -> "Expired";
            case WITHDRAWN -> "Withdrawn";
        };
    }

    public static String courses(Offer o) {
        return String.join(", ", o.lines().stream().map(l -> l.code() + (l.section().isEmpty() ? "" : " " + l.section())
                + " (" + l.hours() + " h)").toList());
    }

    static String codes(Offer o) {
        return String.join(", ", o.lines().stream().map(OfferLine::code).toList());
    }
}
