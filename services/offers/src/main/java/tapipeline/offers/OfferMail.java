package tapipeline.offers;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import tapipeline.schemas.offers.Offer;
import tapipeline.schemas.offers.OfferLine;

/** The texts of the messages the offers service sends (or shows in the outbox). */
final class OfferMail {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private OfferMail() {
    }

    static String when(Instant at) {
        return WHEN.format(at);
    }

    static Mailer.Mail offer(Offer o, String link, boolean replaces) {
        StringBuilder b = new StringBuilder();
        b.append("Dear ").append(o.name()).append(",\n\n");
        b.append(replaces ? "Your TA assignment for " + o.term() + " has changed. This offer replaces the earlier one:\n\n"
                : "You are offered a TA position for " + o.term() + ":\n\n");
        lines(b, o);
        b.append("\nPlease accept or decline by ").append(when(o.deadline())).append(":\n").append(link).append("\n\n");
        b.append("If you do not answer by then, the offer expires and counts as declined.\n");
        return new Mailer.Mail(o.email(), "TA offer for " + o.term() + ": " + codes(o) + " (" + o.hours() + " h/week)",
                b.toString());
    }

    static Mailer.Mail reminder(Offer o, String link) {
        StringBuilder b = new StringBuilder();
        b.append("Dear ").append(o.name()).append(",\n\n");
        b.append("A reminder: your TA offer for ").append(o.term()).append(" is waiting for your answer.\n\n");
        lines(b, o);
        b.append("\nIt expires on ").append(when(o.deadline())).append(". Accept or decline here:\n").append(link).append("\n");
        return new Mailer.Mail(o.email(), "Reminder: TA offer for " + o.term() + " expires " + when(o.deadline()), b.toString());
    }

    static Mailer.Mail withdrawn(Offer o) {
        String b = "Dear " + o.name() + ",\n\n"
                + "The TA offer you received for " + o.term() + " (" + codes(o) + ") has been withdrawn: the approved"
                + " assignment no longer includes you. The link in the earlier message no longer works.\n\n"
                + "Please contact the TA coordinator with any questions.\n";
        return new Mailer.Mail(o.email(), "TA offer for " + o.term() + " withdrawn", b);
    }

    private static void lines(StringBuilder b, Offer o) {
        for (OfferLine l : o.lines()) {
            b.append("  - ").append(l.code()).append(l.section().isEmpty() ? "" : " section " + l.section())
                    .append(": ").append(l.title()).append(", ").append(l.hours()).append(" hours/week");
            if (!l.instructor().isEmpty()) {
                b.append(" (instructor ").append(l.instructor()).append(")");
            }
            b.append("\n");
            if (!l.duties().isEmpty()) {
                b.append("    Duties: ").append(l.duties().replace("\n", " ")).append("\n");
            }
        }
        b.append("  Total: ").append(o.hours()).append(" hours/week\n");
    }

    private static String codes(Offer o) {
        return String.join(", ", o.lines().stream().map(OfferLine::code).distinct().toList());
    }
}
