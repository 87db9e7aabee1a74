package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tapipeline.coordinator.imports.ImportKind;
import tapipeline.coordinator.sample.CoordinatorSampleData;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tapipeline.coordinator.service.CoordinatorService;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.handbook.service.HandbookService;
import tapipeline.publisher.PublisherService;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;
import java.time.Instant;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.web.Browser;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.service.SolverService;

/**
 * A coordinator's day in headless Chromium with the real solver on the embedded broker: sign in, start
 * a run, watch it update live, open an explanation, pin a slot, override another and see the hard rule
 * it breaks, re-solve, approve and follow publication until the real handbook service has rendered the
 * approved term and the real publisher has moved the public links: the same browser then downloads the
 * edition named by the approval's {@code handbook.rendered} and sees the term. axe-core at WCAG 2.2 AA on every page; desktop and
 * phone screenshots in app/target/screenshots.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CoordinatorBrowserIT {

    private static final String PASSWORD = "browser-password-0123456789";
    private static final String SCRIPT = "<script>alert(1)</script>";

    @Test
    void import_run_watch_explain_pin_override_resolve_approve(@TempDir Path dir) throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String term = "BR-" + UUID.randomUUID().toString().substring(0, 6);
        List<Path> shots = new ArrayList<>();
        // the program whose public site follows this term: its own id (the shared broker holds other tests' programs)
        String program = "coord-br-" + UUID.randomUUID().toString().substring(0, 6);
        HandbookContent content = sampleContent(program);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        Map<String, String> site = Map.of("SITE_PROGRAM", program, "INSTANCE_ID", "site-" + program,
                "PUBLISHER_ARTIFACT_DIR", Files.createDirectories(dir.resolve("artifacts")).toString());
        try (EventWatcher watcher = new EventWatcher(bootstrap, Topics.HANDBOOK_RENDERED.name(), Topics.SITE_LINKS.name());
             RunningService solver = ServiceHarness.start(new SolverService(), Map.of());
             RunningService coordinator = ServiceHarness.start(new CoordinatorService(),
                     Map.of("WEB_SESSION_SECRET", "browser-it-secret-0123456789-0123456789"));
             // the real handbook service (validating: the publisher refuses unvalidated editions) and publisher
             RunningService handbook = ServiceHarness.start(new HandbookService(), Map.of("HANDBOOK_QUIET_MS", "200",
                     "HANDBOOK_VALIDATE", "true", "INSTANCE_ID", "handbook-" + program));
             RunningService publisher = ServiceHarness.start(new PublisherService(), site);
             Browser browser = Browser.start(downloads);
             KafkaProducer<String, byte[]> producer = new KafkaClients(bootstrap).producer("coordinator-browser-it")) {
            // (the services' start created the topics)
            new AccountWriter(producer, new PasswordHasher()).write("coord-br", "Casey Coordinator",
                    List.of(Account.Role.COORDINATOR), PASSWORD.toCharArray(), false);
            producer.send(Events.record(EventTypes.HANDBOOK_CONTENT, program, content)).get(30, TimeUnit.SECONDS);
            String siteBase = publisher.urls().get("public site").replaceAll("/$", "");
            String health = coordinator.urls().get("coordinator health");
            String base = health.substring(0, health.length() - "/health".length());
            WebDriver d = browser.driver();
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(120));
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // htmx swaps the live part

            // sign in (retried until the coordinator has read the account)
            for (int attempt = 0; ; attempt++) {
                browser.open(base + "/import");
                assertThat(d.getCurrentUrl()).contains("/signin");
                d.findElement(By.id("username")).sendKeys("coord-br");
                d.findElement(By.id("password")).sendKeys(PASSWORD);
                browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
                if (d.getCurrentUrl().endsWith("/import") || attempt > 20) {
                    break;
                }
                Thread.sleep(1000);
            }
            assertThat(d.getCurrentUrl()).endsWith("/import");

            // import the sample department's CSVs (one applicant renamed to markup), preview, apply
            d.findElement(By.id("term")).sendKeys(term);
            for (ImportKind k : ImportKind.values()) {
                Path file = dir.resolve(k.fileStem() + ".csv");
                byte[] csv = CoordinatorSampleData.csv(k);
                Files.write(file, k == ImportKind.APPLICANTS ? renameFirst(csv, SCRIPT) : csv);
                d.findElement(By.id(k.fileStem())).sendKeys(file.toString());
            }
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            assertThat(d.findElement(By.tagName("h1")).getText()).startsWith("Import preview");
            d.findElement(By.id("reason")).sendKeys("the sample department");
            browser.clickAndWait(By.cssSelector("form[action$='/apply'] button[type=submit]"));
            assertThat(d.findElement(By.id("message")).getText()).contains("is now version 1");
            Dataset data = CoordinatorSampleData.sampleDataset();
            AssignmentProblem p = new AssignmentProblem("x", term, "D", data.courses(), data.applicants(),
                    data.preferences(), data.instructorPreferences(), List.of(), List.of(), null);
            List<Applicant> people = data.applicants();

            browser.open(base + "/runs");
            browser.assertAccessible("runs list");
            shots.addAll(browser.screenshots("coordinator-runs"));

            // start a run and see it update live (no reload)
            String runId = startRun(browser, wait, base, term, "12");
            String firstStatus = wait.until(x -> x.findElement(By.id("run-status")).getText()); // (stale while htmx swaps it)
            wait.until(x -> !x.findElement(By.id("run-status")).getText().equals(firstStatus)
                    && x.findElement(By.id("run-status")).getText().contains("best score"));
            assertThat(d.getCurrentUrl()).as("updated in place").endsWith("/runs/" + runId);
            browser.assertAccessible("run page while solving");
            browser.assertNoConsoleErrors("run page while solving (htmx SSE under the CSP)");
            shots.addAll(browser.screenshots("coordinator-run-live"));
            wait.until(x -> !x.findElements(By.linkText("Review the assignment")).isEmpty());
            assertThat(d.findElement(By.cssSelector("figure.chart svg"))).isNotNull();
            shots.addAll(browser.screenshots("coordinator-run-done"));

            // review
            browser.clickAndWait(By.linkText("Review the assignment"));
            wait.until(x -> x.findElement(By.tagName("h1")).getText().startsWith("Review of run"));
            browser.assertAccessible("review page");
            shots.addAll(browser.screenshots("coordinator-review"));
            assertThat(d.getPageSource()).doesNotContain(SCRIPT);

            // an explanation, and a pin
            List<WebElement> filled = d.findElements(By.cssSelector("ul.slots a:not(:has(.empty-slot))"));
            assertThat(filled).isNotEmpty();
            String pinHref = filled.get(0).getAttribute("href");
            browser.open(pinHref);
            assertThat(d.findElement(By.id("why-heading")).getText()).isEqualTo("Why");
            assertThat(d.findElement(By.cssSelector("main section p")).getText()).isNotBlank();
            browser.assertAccessible("slot explanation");
            shots.addAll(browser.screenshots("coordinator-slot"));
            d.findElement(By.id("pin-reason")).sendKeys("agreed with the TA");
            browser.clickAndWait(By.xpath("//button[starts-with(normalize-space(.), 'Pin ')]"));
            wait.until(x -> x.getPageSource().contains("Pinned."));
            assertThat(d.findElements(By.cssSelector(".badge")).stream().anyMatch(b -> b.getText().equals("pinned"))).isTrue();

            // an override to the applicant with the hostile name, who lacks the course's skill
            String overrideHref = slotLackedBy(p, people.get(0), d, base, runId, pinHref);
            browser.open(overrideHref);
            new Select(d.findElement(By.id("applicantId"))).selectByValue(people.get(0).id());
            browser.clickAndWait(By.xpath("//button[normalize-space(.)='Check the change']"));
            wait.until(x -> !x.findElements(By.id("check-result")).isEmpty());
            String broken = d.findElement(By.id("broken-rules")).getText();
            assertThat(broken).contains(people.get(0).id() + " lacks skill");
            assertThat(d.findElement(By.id("check-result")).getText()).contains(SCRIPT);
            browser.assertAccessible("override check");
            shots.addAll(browser.screenshots("coordinator-override"));
            d.findElement(By.id("override-reason")).sendKeys("the instructor insists");
            browser.clickAndWait(By.xpath("//button[normalize-space(.)='Make the change']"));
            wait.until(x -> x.getPageSource().contains("Override saved."));

            // re-solve keeping pins, then approve
            browser.open(base + "/runs/" + runId + "/review");
            d.findElement(By.id("resolve-seconds")).clear();
            d.findElement(By.id("resolve-seconds")).sendKeys("8");
            browser.clickAndWait(By.xpath("//button[normalize-space(.)='Re-solve keeping pins']"));
            wait.until(x -> x.getCurrentUrl().matches(".*/runs/[^/]+$") && !x.getCurrentUrl().endsWith("/" + runId));
            wait.until(x -> !x.findElements(By.linkText("Review the assignment")).isEmpty());
            browser.clickAndWait(By.linkText("Review the assignment"));
            wait.until(x -> x.findElement(By.tagName("h1")).getText().startsWith("Review of run"));
            assertThat(d.findElement(By.id("diff-heading"))).isNotNull();
            // the re-solve kept the pin and the override: both are pinned slots of the new run
            assertThat(d.findElements(By.cssSelector(".badge")).stream().filter(b -> b.getText().equals("pinned")).count())
                    .isGreaterThanOrEqualTo(2);
            assertThat(d.findElement(By.id("diff-heading")).findElement(By.xpath("..")).getText()).contains("differ from run " + runId);
            d.findElement(By.id("approve-reason")).sendKeys("final for the term");
            browser.clickAndWait(By.xpath("//button[normalize-space(.)='Approve this assignment']"));
            wait.until(x -> x.getPageSource().contains("Approved."));
            String approvedRun = d.getCurrentUrl().replaceAll("^.*/runs/([^/]+)/review.*$", "$1");
            browser.open(base + "/runs/" + approvedRun + "/publication");
            assertThat(d.findElement(By.id("publication-stage")).getText()).isNotBlank();
            browser.assertAccessible("publication");
            browser.assertNoConsoleErrors("publication page (htmx polling)");
            shots.addAll(browser.screenshots("coordinator-publication"));

            // the real handbook service renders the edition of this approval, the real publisher moves the links
            HandbookRendered rendered = awaitOr(() -> watcher.await(HandbookRendered.class,
                    r -> r.programId().equals(program) && approvedRun.equals(r.renderedFrom().approvalRunId()), PUBLISH_WAIT),
                    "the handbook service rendered no edition of program " + program + " from run " + approvedRun);
            awaitOr(() -> watcher.await(SiteLink.class, l -> l.linkId().equals("handbook")
                            && l.target().contains(rendered.sha256()), PUBLISH_WAIT),
                    "the publisher did not move the handbook link to edition " + rendered.sha256() + " of run " + approvedRun);
            // the status page follows by itself (htmx) to "published"
            new WebDriverWait(d, PUBLISH_WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .withMessage("the publication page of run " + approvedRun + " did not reach \"Published\"")
                    .until(x -> x.findElement(By.id("publication-stage")).getText().startsWith("Published"));
            String status = d.findElement(By.id("publication-status")).getText();
            assertThat(status).contains(program).contains("PDF/UA-1 and PDF/A-2 valid").doesNotContain("not yet");
            browser.assertAccessible("publication, published");
            shots.addAll(browser.screenshots("coordinator-published"));

            // a student (same browser): the program page's handbook link downloads exactly that edition
            browser.open(siteBase + "/");
            assertThat(d.findElement(By.tagName("h1")).getText()).isEqualTo(content.name());
            browser.assertAccessible("public program page");
            d.findElement(By.cssSelector("section[aria-labelledby=links]")).findElement(By.linkText(label(content, "handbook")))
                    .click();
            Path pdf = Browser.awaitDownload(downloads, ".pdf", Duration.ofSeconds(60));
            assertThat(HandbookArtifact.sha256Hex(Files.readAllBytes(pdf)))
                    .as("the downloaded handbook is the edition rendered from run " + approvedRun).isEqualTo(rendered.sha256());
            // ... and the TA-assignments link shows the approved term
            browser.open(siteBase + "/");
            browser.clickAndWait(d.findElement(By.cssSelector("section[aria-labelledby=links]"))
                    .findElement(By.linkText(label(content, "ta-assignments"))));
            browser.waitForUrl("/ta-assignments/");
            assertThat(d.findElement(By.tagName("h1")).getText()).contains(term);
            assertThat(d.getPageSource()).doesNotContain(SCRIPT);
            browser.assertAccessible("public TA-assignments page");
            shots.addAll(browser.screenshots("coordinator-published-ta-assignments"));

            // the status page lists both moved links: the handbook's edition and the term's TA-assignments page
            String moved = "";
            for (int attempt = 0; attempt < 60 && !moved.contains(SiteLink.termPath(term)); attempt++) {
                if (attempt > 0) {
                    Thread.sleep(500);
                }
                browser.open(base + "/runs/" + approvedRun + "/publication");
                moved = d.findElement(By.id("publication-status")).getText();
            }
            assertThat(moved).as("the publication status of run " + approvedRun).contains(rendered.sha256())
                    .contains(SiteLink.termPath(term));
            browser.assertAccessible("publication, both links moved");

            browser.open(base + "/runs/" + runId + "/hours");
            browser.assertAccessible("hours owed");
            shots.addAll(browser.screenshots("coordinator-hours"));
        }
        for (Path s : shots) {
            assertThat(Files.size(s)).as(s.toString()).isGreaterThan(5_000);
        }
    }

    private static final Duration PUBLISH_WAIT = Duration.ofSeconds(90);

    /** The launcher's sample program content (the handbook module's), under {@code program}. */
    private static HandbookContent sampleContent(String program) throws java.io.IOException {
        HandbookContent s;
        try (java.io.InputStream in = HandbookService.class.getResourceAsStream("/sample/program-content.json")) {
            s = Events.codec().decodePayload(in.readAllBytes(), EventTypes.HANDBOOK_CONTENT);
        }
        return new HandbookContent(program, s.name(), s.degree(), s.campus(), s.edition(), s.totalUnits(), s.semesters(),
                s.overview(), s.outcomes(), s.curriculum(), s.policies(), s.contacts(), s.links(), Instant.now());
    }

    private static String label(HandbookContent content, String linkId) {
        return content.links().stream().filter(l -> l.id().equals(linkId)).findFirst().orElseThrow().label();
    }

    private interface Wait<T> {
        T get() throws InterruptedException;
    }

    /** The awaited event, or a failure saying which step of publication did not happen. */
    private static <T> T awaitOr(Wait<T> wait, String failure) throws InterruptedException {
        try {
            return wait.get();
        } catch (AssertionError e) {
            throw new AssertionError(failure + " within " + PUBLISH_WAIT, e);
        }
    }


    private static String startRun(Browser browser, WebDriverWait wait, String base, String term, String seconds) {
        WebDriver d = browser.driver();
        browser.open(base + "/runs");
        d.findElement(By.id("term")).sendKeys(term);
        d.findElement(By.id("timeLimitSeconds")).clear();
        d.findElement(By.id("timeLimitSeconds")).sendKeys(seconds);
        // the coordinator may not have read the dataset yet: it answers with the form and an error then
        for (int attempt = 0; attempt < 30; attempt++) {
            browser.clickAndWait(By.xpath("//button[normalize-space(.)='Start the run']"));
            wait.until(x -> x.getCurrentUrl().matches(".*/runs(/[^/?]+)?(\\?.*)?$"));
            if (d.getCurrentUrl().matches(".*/runs/[^/?]+$")) {
                return d.getCurrentUrl().replaceAll("^.*/runs/", "");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            d.findElement(By.id("term")).clear();
            d.findElement(By.id("term")).sendKeys(term);
        }
        throw new AssertionError("the run could not be started: " + d.getCurrentUrl());
    }

    /** The applicants CSV with the first applicant's name replaced. */
    private static byte[] renameFirst(byte[] csv, String name) throws java.io.IOException {
        var format = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        var parser = format.parse(new java.io.StringReader(new String(csv, java.nio.charset.StandardCharsets.UTF_8)));
        java.io.StringWriter out = new java.io.StringWriter();
        List<String> header = parser.getHeaderNames();
        try (var printer = new org.apache.commons.csv.CSVPrinter(out, org.apache.commons.csv.CSVFormat.RFC4180.builder()
                .setHeader(header.toArray(String[]::new)).get())) {
            boolean first = true;
            for (var r : parser) {
                List<String> values = new ArrayList<>(r.toList());
                if (first) {
                    values.set(header.indexOf("name"), name);
                    first = false;
                }
                printer.printRecord(values);
            }
        }
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The page of a filled slot (not {@code notThis}) of a course whose required skills {@code who} lacks. */
    private static String slotLackedBy(AssignmentProblem p, Applicant who, WebDriver d, String base, String runId,
                                       String notThis) {
        for (Course c : p.courses()) {
            if (!who.skills().containsAll(c.requiredSkills())) {
                String href = base + "/runs/" + runId + "/slots/" + c.id() + "/0";
                if (!href.equals(notThis)) {
                    return href;
                }
            }
        }
        throw new AssertionError("every course's skills are held by " + who.id());
    }
}
