package tapipeline.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static tapipeline.offers.OffersFixture.answer;
import static tapipeline.offers.OffersFixture.approve;
import static tapipeline.offers.OffersFixture.course;
import static tapipeline.offers.OffersFixture.dataset;
import static tapipeline.offers.OffersFixture.link;
import static tapipeline.offers.OffersFixture.path;
import static tapipeline.offers.OffersFixture.ta;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.web.RouteWalker;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.platform.web.Secret;
import tapipeline.platform.web.Site;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Account.Role;
import tapipeline.schemas.offers.Offer;
import tapipeline.schemas.offers.OfferAnswered;

/**
 * The offers service on the real broker with a real SMTP server in-process (GreenMail): an approval
 * makes one e-mail per TA whose link works; accept and decline through HTTP are recorded
 * (offers.state, offers.answered, audit); links are single-use and only open their own offer; a second
 * approval e-mails only the TAs whose assignment changed; reminders go once and an offer whose
 * deadline passed while the service was stopped expires after the restart; without SMTP the offers
 * wait in the outbox; the route table is walked for sign-in, roles and CSRF.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OffersServiceIT {

    static final String SECRET = "an offers service test secret of 40 chars";
    static final String PASSWORD = "a long offers test password";

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
            .withPerMethodLifecycle(false);

    static Map<String, String> settings(boolean smtp, String... more) {
        Map<String, String> s = new HashMap<>(Map.of("WEB_SESSION_SECRET", "an offers web session secret of 40 chars!!",
                "OFFERS_TOKEN_SECRET", SECRET, "OFFERS_CHECK_SECONDS", "1", "OFFERS_MAIL_FROM", "ta-office@example.edu"));
        if (smtp) {
            s.put("OFFERS_SMTP_HOST", "127.0.0.1");
            s.put("OFFERS_SMTP_PORT", Integer.toString(MAIL.getSmtp().getPort()));
            s.put("OFFERS_SMTP_STARTTLS", "false");
        }
        for (int i = 0; i < more.length; i += 2) {
            s.put(more[i], more[i + 1]);
        }
        return s;
    }

    /** The messages received for a term, by recipient. */
    static Map<String, List<MimeMessage>> mail(String term) throws Exception {
        Map<String, List<MimeMessage>> out = new java.util.TreeMap<>();
        for (MimeMessage m : MAIL.getReceivedMessages()) {
            if (m.getSubject().contains(term)) {
                out.computeIfAbsent(m.getAllRecipients()[0].toString(), k -> new java.util.ArrayList<>()).add(m);
            }
        }
        return out;
    }

    static String text(MimeMessage m) {
        try {
            return (String) m.getContent();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static int count(Map<String, List<MimeMessage>> mail, String subjectPart) {
        return (int) mail.values().stream().flatMap(List::stream).filter(m -> {
            try {
                return m.getSubject().startsWith(subjectPart);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).count();
    }

    @Test
    void approval_emails_each_ta_once_answers_are_recorded_and_only_changed_tas_hear_again() throws Exception {
        String term = OffersFixture.term("T1");
        ServiceRuntime offers = null;
        try (KafkaProducer<String, byte[]> p = OffersFixture.producer();
             EventWatcher events = new EventWatcher(KafkaBrokerExtension.bootstrapServers(), "offers.state",
                     "offers.answered", "audit")) {
            dataset(p, term, "a1", "b2", "c3", "d4", "e5");
            offers = (ServiceRuntime) ServiceHarness.start(new OffersService(), settings(true));
            String base = offers.httpBaseUrl();
            approve(p, term, "run-1", course("c1", "CS101", ta("a1", 10), ta("b2", 5)),
                    course("c2", "CS202", ta("b2", 5), ta("c3", 8), ta("e5", 6)));

            // exactly one e-mail per TA, each naming the TA's courses, hours, deadline and a link
            await().atMost(Duration.ofSeconds(30)).until(() -> mail(term).size() == 4);
            Thread.sleep(1500); // nothing more arrives
            Map<String, List<MimeMessage>> first = mail(term);
            assertThat(first.keySet()).containsExactly("a1@example.edu", "b2@example.edu", "c3@example.edu",
                    "e5@example.edu");
            assertThat(first.values()).allSatisfy(l -> assertThat(l).hasSize(1));
            String toB = text(first.get("b2@example.edu").get(0));
            assertThat(toB).contains("CS101").contains("CS202").contains("Total: 10 hours/week")
                    .contains("Run two lab sections").contains("Please accept or decline by");
            Map<String, String> links = first.entrySet().stream().collect(Collectors.toMap(
                    e -> e.getKey().substring(0, 2), e -> path(link(text(e.getValue().get(0))))));
            assertThat(links.get("a1")).startsWith("/offer/o-");
            assertThat(link(toB)).startsWith(base + "/offer/");
            await().atMost(Duration.ofSeconds(10)).until(() -> events.payloads(Offer.class,
                    o -> o.term().equals(term) && o.status() == Offer.Status.SENT).size() == 4);

            // the links work: the page names the TA's own courses, and opening marks the offer OPENED
            WebClient taA = new WebClient(base);
            HttpResponse<String> pageA = taA.get(links.get("a1"), WebClient.HTML);
            assertThat(pageA.statusCode()).isEqualTo(200);
            assertThat(pageA.body()).contains("CS101").contains("Course CS101").contains("Run two lab sections")
                    .doesNotContain("CS202");
            assertThat(pageA.headers().firstValue("Cache-Control")).contains("no-store");
            events.await(Offer.class, o -> o.term().equals(term) && o.applicantId().equals("a1")
                    && o.status() == Offer.Status.OPENED, Duration.ofSeconds(10));

            // accept (a1) and decline with a reason (b2), as a browser without JavaScript posts the form
            HttpResponse<String> accepted = answer(taA, links.get("a1"), "accept", "");
            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(accepted.body()).contains("you accepted");
            WebClient taB = new WebClient(base);
            HttpResponse<String> declined = answer(taB, links.get("b2"), "decline", "I have a lab clash on Tuesdays.");
            assertThat(declined.statusCode()).isEqualTo(200);
            OfferAnswered acc = events.await(OfferAnswered.class, a -> a.term().equals(term) && a.applicantId().equals("a1"),
                    Duration.ofSeconds(10));
            assertThat(acc.answer()).isEqualTo(OfferAnswered.Answer.ACCEPTED);
            assertThat(acc.by()).isEqualTo("ta");
            assertThat(acc.courseIds()).containsExactly("c1");
            OfferAnswered dec = events.await(OfferAnswered.class, a -> a.term().equals(term) && a.applicantId().equals("b2"),
                    Duration.ofSeconds(10));
            assertThat(dec.answer()).isEqualTo(OfferAnswered.Answer.DECLINED);
            assertThat(dec.reason()).isEqualTo("I have a lab clash on Tuesdays.");
            assertThat(dec.courseIds()).containsExactlyInAnyOrder("c1", "c2");
            events.await(Offer.class, o -> o.term().equals(term) && o.applicantId().equals("b2")
                    && o.status() == Offer.Status.DECLINED && "I have a lab clash on Tuesdays.".equals(o.reason()),
                    Duration.ofSeconds(10));
            AuditEntry auditB = events.await(AuditEntry.class, a -> a.subject().equals(dec.offerId())
                    && a.action().equals("offer.decline"), Duration.ofSeconds(10));
            assertThat(auditB.actor()).isEqualTo("ta:b2");
            assertThat(auditB.detail()).doesNotContain("lab clash"); // the reason stays out of the audit log
            assertThat(events.payloads(AuditEntry.class, a -> a.subject().equals(acc.offerId())
                    && a.action().equals("offer.accept") && a.actor().equals("ta:a1"))).hasSize(1);

            // single use: a second answer is refused, and the link shows no details any more
            HttpResponse<String> again = taA.postForm(links.get("a1"), WebClient.HTML,
                    Map.of("answer", "decline", "reason", "", "_csrf", csrfOf(taA, links.get("c3"))));
            assertThat(again.statusCode()).isEqualTo(410);
            HttpResponse<String> reopened = taA.get(links.get("a1"), WebClient.HTML);
            assertThat(reopened.statusCode()).isEqualTo(410);
            assertThat(reopened.body()).contains("already been answered").doesNotContain("CS101");
            assertThat(events.payloads(OfferAnswered.class, a -> a.offerId().equals(acc.offerId()))).hasSize(1);

            // a token opens only its own offer
            String tokenA = links.get("a1").substring("/offer/".length());
            String idC = links.get("c3").substring("/offer/".length(), links.get("c3").indexOf('.'));
            String macA = tokenA.substring(tokenA.indexOf('.') + 1);
            assertNotValid(taA.get("/offer/" + idC + "." + macA, WebClient.HTML));
            char last = tokenA.charAt(tokenA.length() - 1);
            assertNotValid(taA.get("/offer/" + tokenA.substring(0, tokenA.length() - 1) + (last == 'A' ? 'B' : 'A'),
                    WebClient.HTML));
            OfferTokens otherSecret = new OfferTokens(Secret.persistent("OFFERS_TOKEN_SECRET",
                    "a different secret, also of forty chars!", null));
            assertNotValid(taA.get("/offer/" + otherSecret.token(idC), WebClient.HTML));
            assertNotValid(taA.get("/offer/" + new OfferTokens(Secret.persistent("K", SECRET, null))
                    .token(OfferPlan.offerId(term, "no-such-run", "a1")), WebClient.HTML)); // a valid MAC, no offer
            HttpResponse<String> forged = taA.postForm("/offer/" + idC + "." + macA, WebClient.JSON,
                    Map.of("answer", "decline", "reason", "", "_csrf", csrfOf(taA, links.get("c3"))));
            assertThat(forged.statusCode()).isEqualTo(404);
            // a reason over the limit is refused with the limit named, and nothing is recorded
            HttpResponse<String> tooLong = taA.postForm(links.get("c3"), WebClient.JSON,
                    Map.of("answer", "decline", "reason", "x".repeat(1001), "_csrf", csrfOf(taA, links.get("c3"))));
            assertThat(tooLong.statusCode()).isEqualTo(400);
            assertThat(WebClient.json(tooLong).path("message").asText()).contains("1000");

            // a second approval: c3's hours change, d4 is new, e5 is dropped, a1 is the same (b2 declined, gone)
            Map<String, List<MimeMessage>> beforeSecond = mail(term);
            approve(p, term, "run-2", course("c1", "CS101", ta("a1", 10), ta("d4", 5)),
                    course("c2", "CS202", ta("d4", 5), ta("c3", 6)));
            // GreenMail lists messages per mailbox, not in arrival order: compare each recipient's messages
            await().atMost(Duration.ofSeconds(30)).until(() -> newMessages(beforeSecond, mail(term)).size() == 3);
            Thread.sleep(1500);
            Map<String, String> subjects = newMessages(beforeSecond, mail(term));
            assertThat(subjects.keySet()).containsExactly("c3@example.edu", "d4@example.edu", "e5@example.edu");
            assertThat(subjects.get("c3@example.edu")).startsWith("TA offer for " + term);
            assertThat(subjects.get("d4@example.edu")).startsWith("TA offer for " + term);
            assertThat(subjects.get("e5@example.edu")).isEqualTo("TA offer for " + term + " withdrawn");
            List<MimeMessage> toCs = mail(term).get("c3@example.edu");
            String toC = text(toCs.get(toCs.size() - 1));
            assertThat(toC).contains("replaces the earlier one").contains("6 hours/week");
            // c3's and e5's old offers withdrawn (c3's replaced), a1's accepted offer untouched
            String newC = OfferPlan.offerId(term, "run-2", "c3");
            events.await(Offer.class, o -> o.term().equals(term) && o.applicantId().equals("c3")
                    && o.status() == Offer.Status.WITHDRAWN && newC.equals(o.replacedBy()), Duration.ofSeconds(10));
            events.await(Offer.class, o -> o.term().equals(term) && o.applicantId().equals("e5")
                    && o.status() == Offer.Status.WITHDRAWN && o.replacedBy() == null, Duration.ofSeconds(10));
            assertThat(events.payloads(Offer.class, o -> o.offerId().equals(acc.offerId())).get(
                    events.payloads(Offer.class, o -> o.offerId().equals(acc.offerId())).size() - 1).status())
                    .isEqualTo(Offer.Status.ACCEPTED);
            // the withdrawn link refuses
            HttpResponse<String> oldC = taA.get(links.get("c3"), WebClient.HTML);
            assertThat(oldC.statusCode()).isEqualTo(410);
            assertThat(oldC.body()).contains("withdrawn").doesNotContain("CS202");

            // coordinators: sign-in needed, the overview per TA and per course, the route table walked
            String prefix = "off" + Long.toHexString(System.nanoTime());
            AccountWriter writer = new AccountWriter(p, new PasswordHasher());
            writer.write(prefix + "-coord", "Cora Coordinator", List.of(Role.COORDINATOR), PASSWORD.toCharArray(), false);
            writer.write(prefix + "-viewer", "Vera Viewer", List.of(Role.VIEWER), PASSWORD.toCharArray(), false);
            writer.write(prefix + "-inst", "Ian Instructor", List.of(Role.INSTRUCTOR), PASSWORD.toCharArray(), false);
            writer.write(prefix + "-none", "Nora Noroles", List.of(), PASSWORD.toCharArray(), false);
            ServiceRuntime running = offers;
            await().atMost(Duration.ofSeconds(30)).until(() -> List.of("-coord", "-viewer", "-inst", "-none").stream()
                    .allMatch(s -> running.accounts().find(prefix + s).isPresent()));
            WebClient viewer = new WebClient(base);
            assertThat(viewer.signIn(prefix + "-viewer", PASSWORD).statusCode()).isEqualTo(200);
            HttpResponse<String> overview = viewer.get("/offers?term=" + term, WebClient.HTML);
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body()).contains("Per TA").contains("Per course").contains("TA A1").contains("Accepted")
                    .contains("Declined").contains("Withdrawn").contains("I have a lab clash on Tuesdays.");
            Site site = new Site("offers routes");
            new OfferPages(null, null, null, "").declare(site);
            // only the TA's link is public; the outbox and its action are the coordinators'
            assertThat(site.routes()).filteredOn(r -> !r.path().startsWith("/offer/"))
                    .allSatisfy(r -> assertThat(r.access().isPublic()).as(r.toString()).isFalse());
            assertThat(site.routes()).filteredOn(r -> r.path().startsWith("/offers/outbox")).hasSize(2)
                    .allSatisfy(r -> assertThat(r.access()).isEqualTo(tapipeline.platform.web.Access.COORDINATOR));
            RouteWalker.assertGuarded(base, site.routes(), List.of(
                    new RouteWalker.Login(prefix + "-coord", PASSWORD, Set.of(Role.COORDINATOR)),
                    new RouteWalker.Login(prefix + "-viewer", PASSWORD, Set.of(Role.VIEWER)),
                    new RouteWalker.Login(prefix + "-inst", PASSWORD, Set.of(Role.INSTRUCTOR)),
                    new RouteWalker.Login(prefix + "-none", PASSWORD, Set.of())));
        } finally {
            if (offers != null) {
                offers.close();
            }
        }
    }

    /** Recipient -> subject of each message that is new since {@code before}; fails on two new messages to one recipient. */
    private static Map<String, String> newMessages(Map<String, List<MimeMessage>> before, Map<String, List<MimeMessage>> now) {
        Map<String, String> out = new java.util.TreeMap<>();
        now.forEach((to, messages) -> {
            int old = before.getOrDefault(to, List.of()).size();
            if (messages.size() > old + 1) {
                throw new AssertionError(to + " received " + (messages.size() - old) + " new messages");
            }
            if (messages.size() == old + 1) {
                out.put(to, subjectOf(messages.get(old)));
            }
        });
        return out;
    }

    private static String subjectOf(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertNotValid(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("This offer link is not valid");
    }

    /** A CSRF token of this client's session, from an offer page that is still open. */
    private static String csrfOf(WebClient c, String openPath) {
        String body = c.get(openPath, WebClient.HTML).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(body);
        if (!m.find()) {
            throw new AssertionError("no CSRF field on " + openPath);
        }
        return m.group(1);
    }

    @Test
    void a_reminder_goes_once_and_an_offer_whose_deadline_passed_while_stopped_expires_after_the_restart()
            throws Exception {
        String term = OffersFixture.term("T2");
        Map<String, String> s = settings(true, "OFFERS_RESPONSE_SECONDS", "9", "OFFERS_REMINDER_SECONDS", "6");
        ServiceRuntime offers = null;
        try (KafkaProducer<String, byte[]> p = OffersFixture.producer();
             EventWatcher events = new EventWatcher(KafkaBrokerExtension.bootstrapServers(), "offers.state",
                     "offers.answered")) {
            dataset(p, term, "x1", "y2"); // replayed at start, before the approval (as in production)
            offers = (ServiceRuntime) ServiceHarness.start(new OffersService(), s);
            approve(p, term, "run-9", course("c1", "CS101", ta("x1", 10)), course("c2", "CS202", ta("y2", 5)));
            // offer e-mails, then one reminder each (from 6 s before the deadline)
            await().atMost(Duration.ofSeconds(20)).until(() -> count(mail(term), "Reminder:") == 2);
            Offer x = events.await(Offer.class, o -> o.term().equals(term) && o.applicantId().equals("x1")
                    && o.remindedAt() != null, Duration.ofSeconds(5));
            assertThat(mail(term).get("x1@example.edu").get(1).getSubject()).startsWith("Reminder:");
            assertThat(text(mail(term).get("x1@example.edu").get(1))).contains("/offer/" + x.offerId() + ".");
            // stopped before the deadline; it passes while nothing runs
            offers.close();
            offers = null;
            long wait = java.time.Instant.now().until(x.deadline(), java.time.temporal.ChronoUnit.MILLIS);
            assertThat(wait).as("stopped before the deadline").isPositive();
            Thread.sleep(wait + 500);
            assertThat(events.payloads(OfferAnswered.class, a -> a.term().equals(term))).isEmpty();
            offers = (ServiceRuntime) ServiceHarness.start(new OffersService(), s);
            // after the restart both expire (expired counts as declined) and no reminder goes again
            await().atMost(Duration.ofSeconds(20)).until(() -> events.payloads(OfferAnswered.class,
                    a -> a.term().equals(term)).size() == 2);
            assertThat(events.payloads(OfferAnswered.class, a -> a.term().equals(term)))
                    .allSatisfy(a -> {
                        assertThat(a.answer()).isEqualTo(OfferAnswered.Answer.EXPIRED);
                        assertThat(a.answer().frees()).isTrue();
                        assertThat(a.by()).isEqualTo("offers");
                    });
            Thread.sleep(2500); // two more passes of the schedule
            assertThat(count(mail(term), "Reminder:")).isEqualTo(2);
            assertThat(count(mail(term), "TA offer for")).isEqualTo(2);
            assertThat(events.payloads(OfferAnswered.class, a -> a.term().equals(term))).hasSize(2);
            // the link refuses after the deadline, and an answer changes nothing
            String token = new OfferTokens(Secret.persistent("K", SECRET, null)).token(x.offerId());
            WebClient ta = new WebClient(offers.httpBaseUrl());
            HttpResponse<String> page = ta.get("/offer/" + token, WebClient.HTML);
            assertThat(page.statusCode()).isEqualTo(410);
            assertThat(page.body()).contains("expired").doesNotContain("CS101");
            ta.startAnonymousSession();
            HttpResponse<String> late = ta.postForm("/offer/" + token, WebClient.JSON,
                    Map.of("answer", "accept", "reason", "", "_csrf", ta.csrfToken()));
            assertThat(late.statusCode()).isEqualTo(410);
            Thread.sleep(500);
            assertThat(events.payloads(Offer.class, o -> o.offerId().equals(x.offerId())
                    && o.status() == Offer.Status.ACCEPTED)).isEmpty();
        } finally {
            if (offers != null) {
                offers.close();
            }
        }
    }

    @Test
    void without_smtp_offers_wait_in_the_outbox_until_marked_as_sent() throws Exception {
        String term = OffersFixture.term("T3");
        ServiceRuntime started = null;
        try (KafkaProducer<String, byte[]> p = OffersFixture.producer();
             EventWatcher events = new EventWatcher(KafkaBrokerExtension.bootstrapServers(), "offers.state")) {
            String user = "coord-" + Long.toHexString(System.nanoTime());
            new AccountWriter(p, new PasswordHasher()).write(user, "Cora Coordinator", List.of(Role.COORDINATOR),
                    PASSWORD.toCharArray(), false);
            dataset(p, term, "m1");
            started = (ServiceRuntime) ServiceHarness.start(new OffersService(), settings(false));
            ServiceRuntime offers = started;
            int mailBefore = MAIL.getReceivedMessages().length;
            approve(p, term, "run-5", course("c1", "CS101", ta("m1", 10), ta("n2", 4)));
            events.await(Offer.class, o -> o.term().equals(term) && o.applicantId().equals("n2"), Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(30)).until(() -> offers.accounts().find(user).isPresent());
            WebClient coord = new WebClient(offers.httpBaseUrl());
            assertThat(coord.signIn(user, PASSWORD).statusCode()).isEqualTo(200);
            HttpResponse<String> outbox = coord.get("/offers/outbox", WebClient.HTML);
            assertThat(outbox.statusCode()).isEqualTo(200);
            String idM = OfferPlan.offerId(term, "run-5", "m1");
            String idN = OfferPlan.offerId(term, "run-5", "n2");
            assertThat(outbox.body()).contains("m1@example.edu").contains("no e-mail address in the term")
                    .contains("TA offer for " + term).contains("/offer/" + idM + ".").contains("/offer/" + idN + ".")
                    .contains("/offers/outbox/" + idM + "/sent");
            // the link in the outbox works (n2's: opening m1's would make it OPENED, no longer waiting to be sent)
            java.util.regex.Matcher linkN = java.util.regex.Pattern.compile("(http[^<\\s]*/offer/" + idN + "\\.[^<\\s]+)")
                    .matcher(outbox.body());
            assertThat(linkN.find()).isTrue();
            HttpResponse<String> pageN = new WebClient(offers.httpBaseUrl()).get(path(linkN.group(1)), WebClient.HTML);
            assertThat(pageN.statusCode()).isEqualTo(200);
            assertThat(pageN.body()).contains("TA N2").contains("CS101");
            // the coordinator checking m1's link (signed in) is not the TA opening it: m1 stays QUEUED
            java.util.regex.Matcher linkM = java.util.regex.Pattern.compile("(http[^<\\s]*/offer/" + idM + "\\.[^<\\s]+)")
                    .matcher(outbox.body());
            assertThat(linkM.find()).isTrue();
            assertThat(coord.get(path(linkM.group(1)), WebClient.HTML).statusCode()).isEqualTo(200);
            HttpResponse<String> marked = coord.postForm("/offers/outbox/" + idM + "/sent", WebClient.HTML,
                    Map.of("kind", "offer", "_csrf", coord.csrfToken()));
            assertThat(marked.statusCode()).isEqualTo(303);
            events.await(Offer.class, o -> o.offerId().equals(idM) && o.status() == Offer.Status.SENT,
                    Duration.ofSeconds(10));
            assertThat(coord.get("/offers/outbox", WebClient.HTML).body()).doesNotContain("/offers/outbox/" + idM + "/sent");
            HttpResponse<String> twice = coord.postForm("/offers/outbox/" + idM + "/sent", WebClient.JSON,
                    Map.of("kind", "offer", "_csrf", coord.csrfToken()));
            assertThat(twice.statusCode()).isEqualTo(409);
            assertThat(MAIL.getReceivedMessages()).hasSize(mailBefore); // nothing e-mailed without SMTP
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }

    /**
     * An approval older than OFFERS_MAX_APPROVAL_AGE_HOURS is a past term's record: no offers (the demo's
     * earlier term, or every approval on a system the offers service joins late). Both approvals share a
     * record key, so they are read in order: once the fresh one's offers exist, the old one was handled.
     */
    @Test
    void an_approval_older_than_the_limit_is_history_and_makes_no_offers() throws Exception {
        String term = OffersFixture.term("T4");
        ServiceRuntime started = null;
        try (KafkaProducer<String, byte[]> p = OffersFixture.producer();
             EventWatcher events = new EventWatcher(KafkaBrokerExtension.bootstrapServers(), "offers.state")) {
            dataset(p, term, "h1", "f1");
            started = (ServiceRuntime) ServiceHarness.start(new OffersService(),
                    settings(false, "OFFERS_MAX_APPROVAL_AGE_HOURS", "48"));
            String key = term + "-approvals";
            java.time.Instant now = java.time.Instant.now();
            tapipeline.platform.kafka.Events.send(p, tapipeline.schemas.EventTypes.ASSIGNMENT_APPROVED, key,
                    new tapipeline.schemas.assignment.AssignmentApproved(term, "run-old", "cora",
                            now.minus(Duration.ofHours(49)), List.of(course("c1", "CS101", ta("h1", 10))))).get();
            tapipeline.platform.kafka.Events.send(p, tapipeline.schemas.EventTypes.ASSIGNMENT_APPROVED, key,
                    new tapipeline.schemas.assignment.AssignmentApproved(term, "run-new", "cora",
                            now.minus(Duration.ofHours(47)), List.of(course("c2", "CS102", ta("f1", 10))))).get();
            events.await(Offer.class, o -> o.term().equals(term) && o.approvalRunId().equals("run-new"),
                    Duration.ofSeconds(30));
            assertThat(events.payloads(Offer.class, o -> o.term().equals(term)))
                    .extracting(Offer::approvalRunId).containsOnly("run-new");
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }
}
