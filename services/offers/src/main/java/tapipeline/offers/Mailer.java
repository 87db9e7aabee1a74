package tapipeline.offers;

import java.util.Properties;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import tapipeline.platform.config.Config;

/**
 * Sends plain-text mail over SMTP with Jakarta Mail (Eclipse Angus), from the OFFERS_SMTP_* settings.
 * Without OFFERS_SMTP_HOST there is no mailer: the offers wait in the coordinator's outbox.
 */
final class Mailer {

    /** One message: to, subject, body (plain text with the link). */
    record Mail(String to, String subject, String text) {
    }

    private final Session session;
    private final InternetAddress from;

    private Mailer(Session session, InternetAddress from) {
        this.session = session;
        this.from = from;
    }

    /** The configured mailer, or null when OFFERS_SMTP_HOST is empty. */
    static Mailer fromConfig(Config c) {
        String host = c.get(OffersService.SMTP_HOST).trim();
        if (host.isEmpty()) {
            return null;
        }
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(c.get(OffersService.SMTP_PORT)));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "20000");
        p.put("mail.smtp.writetimeout", "20000");
        boolean startTls = c.get(OffersService.SMTP_STARTTLS);
        p.put("mail.smtp.starttls.enable", Boolean.toString(startTls));
        p.put("mail.smtp.starttls.required", Boolean.toString(startTls));
        String user = c.get(OffersService.SMTP_USERNAME);
        String password = c.get(OffersService.SMTP_PASSWORD);
        Authenticator auth = null;
        if (!user.isEmpty()) {
            p.put("mail.smtp.auth", "true");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        InternetAddress from;
        try {
            from = new InternetAddress(c.get(OffersService.MAIL_FROM), true);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException(OffersService.MAIL_FROM.name() + ": not an e-mail address: " + e.getMessage());
        }
        return new Mailer(Session.getInstance(p, auth), from);
    }

    void send(Mail mail) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(from);
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
        m.setSubject(mail.subject(), "UTF-8");
        m.setText(mail.text(), "UTF-8");
        m.setSentDate(new java.util.Date());
        Transport.send(m);
    }
}
