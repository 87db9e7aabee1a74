package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tapipeline.coordinator.service.CoordinatorService;
import tapipeline.offers.OffersService;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.web.Browser;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.publisher.PublisherService;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.Day;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.RunOrigin;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.offers.OfferAnswered;
import tapipeline.solver.service.SolverService;

/**
 * The loop of issue #16 end to end, every part real: the solver, the coordinator, the offers service
 * with a real SMTP server in-process (GreenMail) and the publisher, on the embedded broker, driven
 * through HTTP and headless Chromium as the people would. An approval sends one e-mail per TA with a
 * working link; one TA accepts, one declines in the browser; the decline becomes a minimal-change
 * proposal that keeps every accepted and pending offer (the number of changed slots is logged and
 * bounded); the coordinator approves it in the browser; only the TA whose assignment changed gets a
 * new e-mail; that TA accepts in the browser; the public TA-assignments page shows the final plan.
 * axe-core at WCAG 2.2 AA on the offer page, the proposal's review and the public page; screenshots in
 * app/target/screenshots.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OffersLoopIT {

    private static final Logger log = LoggerFactory.getLogger(OffersLoopIT.class);
    private static final String PASSWORD = "offers-loop-password-0123456789";
    private static final String SECRET = "offers-loop-secret-0123456789-0123456789-xyz";
    private static final Pattern LINK = Pattern.compile("(https?://[^\\s\"<>]+/offer/[A-Za-z0-9._-]+)");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final ObjectMapper JSON = EventCodec.objectMapper();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
            .withPerMethodLifecycle(false);

    /**
     * Four one-slot courses at different times, six applicants who could each take any one of them (10
     * hours at most): a1..a4 rate "their" course 5, a5 rates c2 4 (the natural replacement), a6 rates nothing.
     */
    private static Dataset dataset(String term, String mailDomain) {
        List<Course> courses = new ArrayList<>();
        List<CourseDetail> details = new ArrayList<>();
        Day[] days = {Day.MON, Day.TUE, Day.WED, Day.THU};
        for (int i = 1; i <= 4; i++) {
            courses.add(new Course("c" + i, "LOOP " + (100 + i), "Loop course " + i, "001", term, "Prof " + i,
                    List.of(new Meeting(days[i - 1], "10:00", "11:00")), 1, 10, List.of(), 1, 1, 3, false));
            details.add(new CourseDetail("c" + i, "Hold two office hours and mark the weekly exercises of course " + i + ".",
                    List.of()));
        }
        List<Applicant> applicants = new ArrayList<>();
        List<ApplicantContact> contacts = new ArrayList<>();
        List<Preference> prefs = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            applicants.add(new Applicant("a" + i, "Applicant " + i, "MSc", 1, 0, 10, 10, List.of(), List.of(), List.of(),
                    List.of(), List.of()));
            contacts.add(new ApplicantContact("a" + i, "a" + i + "@" + mailDomain));
            if (i <= 4) {
                prefs.add(new Preference("a" + i, "c" + i, 5, false));
            }
        }
        prefs.add(new Preference("a5", "c2", 4, false));
        return new Dataset(term, 1, courses, applicants, prefs, List.of(), List.of(), contacts, details);
    }

    @Test
    void approve_offer_decline_propose_approve_reoffer_accept_publish(@TempDir Path dir) throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String term = "OL-" + UUID.randomUUID().toString().substring(0, 6);
        String program = "offers-loop-" + UUID.randomUUID().toString().substring(0, 6);
        try (EventWatcher watcher = new EventWatcher(bootstrap, Topics.OFFERS_ANSWERED.name(), Topics.RUN_REQUESTED.name(),
                Topics.APPROVED.name());
             RunningService solver = ServiceHarness.start(new SolverService(), Map.of());
             RunningService coordinator = ServiceHarness.start(new CoordinatorService(), Map.of("WEB_SESSION_SECRET", SECRET,
                     "COORDINATOR_PROPOSAL_SECONDS", "10"));
             RunningService offers = ServiceHarness.start(new OffersService(), Map.of("WEB_SESSION_SECRET", SECRET,
                     "OFFERS_SMTP_HOST", "127.0.0.1", "OFFERS_SMTP_PORT", Integer.toString(MAIL.getSmtp().getPort()),
                     "OFFERS_SMTP_STARTTLS", "false", "OFFERS_CHECK_SECONDS", "1",
                     "OFFERS_TOKEN_SECRET", "offers-loop-token-secret-0123456789-0123456789"));
             RunningService publisher = ServiceHarness.start(new PublisherService(), Map.of("SITE_PROGRAM", program,
                     "INSTANCE_ID", "site-" + program));
             Browser browser = Browser.start();
             KafkaProducer<String, byte[]> producer = new KafkaClients(bootstrap).producer("offers-loop-it")) {
            String base = baseOf(coordinator, "coordinator health");
            // a domain of this term's own: the broker is shared, and this offers service also mails other tests' TAs
            String domain = term.toLowerCase(java.util.Locale.ROOT) + ".example.edu";
            WebClient api = signedIn(base, producer, term, domain);

            // solve and approve the term
            String runId = CoordinatorApi.startRun(api, Map.of("term", term, "timeLimitSeconds", 5, "unimprovedSeconds", 2,
                    "seed", 3), Duration.ofSeconds(60));
            Map<String, String> courseOf = solveAndApprove(api, watcher, runId);

            // one e-mail per TA, each with a link that works
            Map<String, List<String>> links = awaitLinks(domain, 4);
            assertThat(links.keySet()).containsExactlyInAnyOrderElementsOf(courseOf.keySet());
            assertThat(links.values()).allSatisfy(l -> assertThat(l).hasSize(1));
            String accepter = courseOf.keySet().stream().sorted().findFirst().orElseThrow();
            String decliner = courseOf.keySet().stream().sorted().filter(a -> !a.equals(accepter)).findFirst().orElseThrow();

            // one TA accepts without a browser; another declines in the browser
            WebClient ta = new WebClient(origin(links.get(accepter).get(0)));
            HttpResponse<String> accepted = answer(ta, path(links.get(accepter).get(0)), "accept", "");
            assertThat(accepted.statusCode()).isEqualTo(200);
            WebDriver d = browser.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(120));
            browser.open(links.get(decliner).get(0));
            assertThat(d.getPageSource()).contains("LOOP " + (100 + Integer.parseInt(courseOf.get(decliner).substring(1))));
            browser.assertAccessible("offer page");
            browser.screenshots("offers-loop-offer");
            d.findElement(By.id("reason")).sendKeys("I took a research assistantship.");
            browser.clickAndWait(By.xpath("//button[@value='decline']"));
            OfferAnswered declined = watcher.await(OfferAnswered.class, a -> a.term().equals(term)
                    && a.answer() == OfferAnswered.Answer.DECLINED, Duration.ofSeconds(30));
            assertThat(declined.applicantId()).isEqualTo(decliner);
            assertThat(watcher.await(OfferAnswered.class, a -> a.term().equals(term) && a.answer() == OfferAnswered.Answer.ACCEPTED,
                    Duration.ofSeconds(30)).applicantId()).isEqualTo(accepter);

            // the decline becomes a proposal that keeps every accepted and pending offer
            AssignmentProblem proposal = watcher.await(AssignmentProblem.class, p -> p.term().equals(term)
                    && p.origin() != null && p.origin().kind() == RunOrigin.Kind.PROPOSAL, Duration.ofSeconds(60));
            assertThat(proposal.origin().approvedRunId()).isEqualTo(runId);
            Set<String> pinned = new HashSet<>();
            proposal.pins().forEach(p -> pinned.add(p.applicantId() + "@" + p.courseId()));
            for (Map.Entry<String, String> e : courseOf.entrySet()) {
                if (!e.getKey().equals(decliner)) {
                    assertThat(pinned).as("accepted and pending offers are pinned").contains(e.getKey() + "@" + e.getValue());
                }
            }
            assertThat(proposal.instructorPreferences()).anyMatch(p -> p.applicantId().equals(decliner)
                    && p.courseId().equals(courseOf.get(decliner)));
            JsonNode solved = CoordinatorApi.awaitState(api, proposal.runId(), "SOLVED", Duration.ofSeconds(120));
            JsonNode review = JSON.readTree(api.get("/api/runs/" + proposal.runId() + "/review", WebClient.JSON).body());
            Map<String, String> after = new HashMap<>();
            review.get("courses").forEach(c -> c.get("slots").forEach(s -> {
                if (s.hasNonNull("applicantId")) {
                    after.put(s.get("applicantId").asText(), c.get("courseId").asText());
                }
            }));
            // changed slots: per course, the TAs who left or came (whichever is more)
            Map<String, Set<String>> before = new HashMap<>();
            Map<String, Set<String>> now = new HashMap<>();
            courseOf.forEach((a, c) -> before.computeIfAbsent(c, k -> new HashSet<>()).add(a));
            after.forEach((a, c) -> now.computeIfAbsent(c, k -> new HashSet<>()).add(a));
            int changed = 0;
            for (String c : List.of("c1", "c2", "c3", "c4")) {
                Set<String> left = new HashSet<>(before.getOrDefault(c, Set.of()));
                left.removeAll(now.getOrDefault(c, Set.of()));
                Set<String> came = new HashSet<>(now.getOrDefault(c, Set.of()));
                came.removeAll(before.getOrDefault(c, Set.of()));
                changed += Math.max(left.size(), came.size());
            }
            log.info("proposal {} ({}): {} slot changes against the approved plan, for 1 freed slot", proposal.runId(),
                    solved.path("score").asText(), changed);
            assertThat(after).as("the accepted and pending TAs keep their courses")
                    .containsAllEntriesOf(withoutKey(courseOf, decliner));
            assertThat(after).doesNotContainKey(decliner);
            String replacement = after.entrySet().stream().filter(e -> e.getValue().equals(courseOf.get(decliner)))
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("the freed slot stayed empty"));
            assertThat(changed).as("the freed slot, and nothing else").isEqualTo(1);

            // the coordinator sees the proposal and approves it in the browser
            signIn(browser, base);
            browser.open(base + "/runs?term=" + term);
            assertThat(d.getPageSource()).contains("proposal after a declined offer");
            browser.open(base + "/runs/" + proposal.runId() + "/review");
            assertThat(d.getPageSource()).contains("declined or expired").contains(runId);
            browser.assertAccessible("proposal review");
            browser.screenshots("offers-loop-proposal");
            d.findElement(By.id("approve-reason")).sendKeys("the decline's replacement");
            browser.clickAndWait(By.xpath("//button[normalize-space(.)='Approve this assignment']"));
            watcher.await(AssignmentApproved.class, a -> a.runId().equals(proposal.runId()), Duration.ofSeconds(30));

            // only the TA whose assignment changed gets a new e-mail
            awaitLinks(domain, 5);
            Thread.sleep(3000); // room for a wrong extra message to show
            Map<String, List<String>> linksAfter = links(domain);
            Map<String, Integer> newMails = new LinkedHashMap<>();
            linksAfter.forEach((to, l) -> {
                int sent = links.getOrDefault(to, List.of()).size();
                if (l.size() > sent) {
                    newMails.put(to, l.size() - sent);
                }
            });
            assertThat(newMails).containsExactly(Map.entry(replacement, 1));

            // the new TA accepts in the browser; the public page shows the final plan
            List<String> replacementLinks = linksAfter.get(replacement);
            browser.open(replacementLinks.get(replacementLinks.size() - 1));
            browser.clickAndWait(By.xpath("//button[@value='accept']"));
            watcher.await(OfferAnswered.class, a -> a.term().equals(term) && a.answer() == OfferAnswered.Answer.ACCEPTED
                    && a.applicantId().equals(replacement), Duration.ofSeconds(30));
            String site = publisher.urls().get("public site").replaceAll("/$", "");
            wait.until(x -> {
                browser.open(site + "/ta-assignments/" + tapipeline.schemas.site.SiteLink.termSlug(term));
                return x.getPageSource().contains("Applicant " + replacement.substring(1));
            });
            assertThat(d.getPageSource()).doesNotContain("Applicant " + decliner.substring(1) + "<");
            browser.assertAccessible("public TA assignments");
            browser.screenshots("offers-loop-public");
        }
    }

    /**
     * An offer nobody answers, whose deadline passes while the offers service is stopped: after the
     * restart it expires, the expiry counts as a decline (the TA is banned from every course, the
     * three TAs who accepted are pinned), and the coordinator's proposal refills that slot alone.
     */
    @Test
    void an_offer_that_expires_while_the_offers_service_is_stopped_counts_as_declined_after_the_restart()
            throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String term = "OX-" + UUID.randomUUID().toString().substring(0, 6);
        String domain = term.toLowerCase(java.util.Locale.ROOT) + ".example.edu";
        Map<String, String> offersSettings = Map.of("WEB_SESSION_SECRET", SECRET,
                "OFFERS_SMTP_HOST", "127.0.0.1", "OFFERS_SMTP_PORT", Integer.toString(MAIL.getSmtp().getPort()),
                "OFFERS_SMTP_STARTTLS", "false", "OFFERS_CHECK_SECONDS", "1", "OFFERS_RESPONSE_SECONDS", "25",
                "OFFERS_TOKEN_SECRET", "offers-loop-token-secret-0123456789-0123456789");
        RunningService offers = null;
        try (EventWatcher watcher = new EventWatcher(bootstrap, Topics.OFFERS_ANSWERED.name(), Topics.RUN_REQUESTED.name(),
                Topics.APPROVED.name());
             RunningService solver = ServiceHarness.start(new SolverService(), Map.of());
             RunningService coordinator = ServiceHarness.start(new CoordinatorService(), Map.of("WEB_SESSION_SECRET", SECRET,
                     "COORDINATOR_PROPOSAL_SECONDS", "10"));
             KafkaProducer<String, byte[]> producer = new KafkaClients(bootstrap).producer("offers-expiry-it")) {
            offers = ServiceHarness.start(new OffersService(), offersSettings);
            WebClient api = signedIn(baseOf(coordinator, "coordinator health"), producer, term, domain);
            String runId = CoordinatorApi.startRun(api, Map.of("term", term, "timeLimitSeconds", 5, "unimprovedSeconds", 2,
                    "seed", 3), Duration.ofSeconds(60));
            Map<String, String> courseOf = solveAndApprove(api, watcher, runId);
            Map<String, List<String>> links = awaitLinks(domain, 4);
            String silent = courseOf.keySet().stream().sorted().findFirst().orElseThrow();
            for (String a : courseOf.keySet()) {
                if (!a.equals(silent)) {
                    String link = links.get(a).get(0);
                    assertThat(answer(new WebClient(origin(link)), path(link), "accept", "").statusCode()).isEqualTo(200);
                }
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> watcher.payloads(
                    OfferAnswered.class, a -> a.term().equals(term) && a.answer() == OfferAnswered.Answer.ACCEPTED).size() == 3);

            // stopped before the silent TA's deadline, which passes while nothing runs
            offers.close();
            offers = null;
            Thread.sleep(27_000);
            assertThat(watcher.payloads(OfferAnswered.class, a -> a.term().equals(term)
                    && a.answer() == OfferAnswered.Answer.EXPIRED)).as("no expiry while stopped").isEmpty();
            offers = ServiceHarness.start(new OffersService(), offersSettings);
            OfferAnswered expired = watcher.await(OfferAnswered.class, a -> a.term().equals(term)
                    && a.answer() == OfferAnswered.Answer.EXPIRED, Duration.ofSeconds(30));
            assertThat(expired.applicantId()).isEqualTo(silent);

            // the expiry is a decline: a proposal that bans the TA everywhere and pins the three who accepted
            AssignmentProblem proposal = watcher.await(AssignmentProblem.class, p -> p.term().equals(term)
                    && p.origin() != null && p.origin().kind() == RunOrigin.Kind.PROPOSAL, Duration.ofSeconds(60));
            assertThat(proposal.origin().offerIds()).containsExactly(expired.offerId());
            assertThat(proposal.instructorPreferences()).filteredOn(p -> p.applicantId().equals(silent)
                    && p.kind() == tapipeline.schemas.assignment.InstructorPreference.Kind.BAN)
                    .extracting(p -> p.courseId()).containsExactlyInAnyOrder("c1", "c2", "c3", "c4");
            Set<String> pinned = new HashSet<>();
            proposal.pins().forEach(p -> pinned.add(p.applicantId() + "@" + p.courseId()));
            withoutKey(courseOf, silent).forEach((a, c) -> assertThat(pinned).contains(a + "@" + c));
            CoordinatorApi.awaitState(api, proposal.runId(), "SOLVED", Duration.ofSeconds(120));
            JsonNode review = JSON.readTree(api.get("/api/runs/" + proposal.runId() + "/review", WebClient.JSON).body());
            Map<String, String> after = new HashMap<>();
            review.get("courses").forEach(c -> c.get("slots").forEach(s -> {
                if (s.hasNonNull("applicantId")) {
                    after.put(s.get("applicantId").asText(), c.get("courseId").asText());
                }
            }));
            assertThat(after).containsAllEntriesOf(withoutKey(courseOf, silent)).doesNotContainKey(silent);
            assertThat(after.values()).as("the freed slot is refilled").contains(courseOf.get(silent));
        } finally {
            if (offers != null) {
                offers.close();
            }
        }
    }

    private static <K, V> Map<K, V> withoutKey(Map<K, V> map, K key) {
        Map<K, V> out = new HashMap<>(map);
        out.remove(key);
        return out;
    }

    /** The offer links mailed to this domain's addresses, by applicant id (the address's local part). */
    private static Map<String, List<String>> links(String domain) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        links(MAIL.getReceivedMessages()).forEach((to, l) -> {
            if (to.endsWith("@" + domain)) {
                out.put(to.substring(0, to.indexOf('@')), l);
            }
        });
        return out;
    }

    /** Waits until this domain has received at least this many offer links; returns them. */
    private static Map<String, List<String>> awaitLinks(String domain, int count) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                links(domain).values().stream().mapToInt(List::size).sum() >= count);
        try {
            return links(domain);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Each recipient's offer links, in the order received. */
    private static Map<String, List<String>> links(MimeMessage[] messages) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (MimeMessage m : messages) {
            Matcher link = LINK.matcher(GreenMailUtil.getBody(m).replace("=\r\n", "").replace("=3D", "="));
            if (link.find()) {
                out.computeIfAbsent(m.getAllRecipients()[0].toString(), k -> new ArrayList<>()).add(link.group(1));
            }
        }
        return out;
    }

    private static String origin(String link) {
        return link.substring(0, link.indexOf("/offer/"));
    }

    private static String path(String link) {
        return link.substring(link.indexOf("/offer/"));
    }

    private static HttpResponse<String> answer(WebClient ta, String path, String answer, String reason) {
        HttpResponse<String> page = ta.get(path, WebClient.HTML);
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as("the offer form's CSRF field").isTrue();
        return ta.postForm(path, WebClient.HTML, Map.of("answer", answer, "reason", reason, "_csrf", m.group(1)));
    }

    private static String baseOf(RunningService s, String healthLabel) {
        String health = s.urls().get(healthLabel);
        return health.substring(0, health.length() - "/health".length());
    }

    /** Writes the coordinator's account and the term's dataset, then signs in. */
    private static WebClient signedIn(String base, KafkaProducer<String, byte[]> producer, String term, String mailDomain)
            throws Exception {
        new AccountWriter(producer, new PasswordHasher()).write("loop-coord", "Loop Coordinator",
                List.of(Account.Role.COORDINATOR), PASSWORD.toCharArray(), false);
        Events.send(producer, EventTypes.COORDINATOR_DATASETS, term, dataset(term, mailDomain)).get(30, TimeUnit.SECONDS);
        return WebClient.signedIn(base, "loop-coord", PASSWORD, Duration.ofSeconds(60));
    }

    /** Waits for the run, approves it; the approved plan's course of each TA (one each: the courses are one-slot). */
    private static Map<String, String> solveAndApprove(WebClient api, EventWatcher watcher, String runId) throws Exception {
        CoordinatorApi.awaitState(api, runId, "SOLVED", Duration.ofSeconds(120));
        api(api, "/api/runs/" + runId + "/approve", Map.of("reason", "first plan"));
        AssignmentApproved approved = watcher.await(AssignmentApproved.class, a -> a.runId().equals(runId),
                Duration.ofSeconds(30));
        Map<String, String> courseOf = new HashMap<>();
        approved.courses().forEach(c -> c.tas().forEach(t -> courseOf.put(t.applicantId(), c.courseId())));
        assertThat(courseOf).as("the plan gives each course its TA").hasSize(4);
        return courseOf;
    }

    private static void signIn(Browser browser, String base) throws InterruptedException {
        WebDriver d = browser.driver();
        for (int attempt = 0; ; attempt++) {
            browser.open(base + "/runs");
            if (!d.getCurrentUrl().contains("/signin")) {
                return;
            }
            d.findElement(By.id("username")).sendKeys("loop-coord");
            d.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            if (d.getCurrentUrl().endsWith("/runs") || attempt > 20) {
                return;
            }
            Thread.sleep(1000);
        }
    }

    private static JsonNode api(WebClient c, String path, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = CoordinatorApi.post(c, path, body);
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }
}
