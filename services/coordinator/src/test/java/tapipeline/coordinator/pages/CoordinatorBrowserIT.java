package tapipeline.coordinator.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import tapipeline.coordinator.api.CoordinatorFixture;
import tapipeline.coordinator.imports.ImportKind;
import tapipeline.coordinator.sample.CoordinatorSampleData;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.web.Browser;

/**
 * The data half in headless Chromium: sign in, import the sample CSVs through the import page, read the
 * preview, apply, see the dataset and its history, by keyboard-reachable forms; axe-core at WCAG 2.2 AA
 * on every page; desktop and phone screenshots under target/screenshots.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CoordinatorBrowserIT {

    @Test
    void sign_in_import_the_sample_csvs_preview_apply_accessibly(@TempDir Path dir) throws Exception {
        try (CoordinatorFixture f = new CoordinatorFixture(Map.of()); Browser browser = Browser.start()) {
            List<Path> shots = new ArrayList<>();
            browser.open(f.base + "/import");
            assertThat(browser.driver().getCurrentUrl()).contains("/signin?next=%2Fimport");
            browser.assertAccessible("sign-in page");
            shots.addAll(browser.screenshots("coordinator-signin"));
            browser.driver().findElement(By.id("username")).sendKeys(f.coordinator);
            browser.driver().findElement(By.id("password")).sendKeys(CoordinatorFixture.PASSWORD);
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            assertThat(browser.driver().getCurrentUrl()).endsWith("/import");
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Import");
            browser.assertAccessible("import page");
            shots.addAll(browser.screenshots("coordinator-import"));

            String term = f.term();
            browser.driver().findElement(By.id("term")).sendKeys(term);
            for (ImportKind k : ImportKind.values()) {
                Path file = dir.resolve(k.fileStem() + ".csv");
                Files.write(file, CoordinatorSampleData.csv(k));
                browser.driver().findElement(By.id(k.fileStem())).sendKeys(file.toString());
            }
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).startsWith("Import preview");
            assertThat(browser.driver().findElement(By.id("ok")).getText()).contains("courses 60 added");
            browser.assertAccessible("import preview");
            shots.addAll(browser.screenshots("coordinator-import-preview"));

            browser.driver().findElement(By.id("reason")).sendKeys("the sample department, by browser");
            browser.clickAndWait(By.cssSelector("form[action$='/apply'] button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("message")).getText()).contains("is now version 1");
            browser.assertAccessible("dataset page");
            shots.addAll(browser.screenshots("coordinator-dataset"));

            browser.open(f.base + "/import");
            browser.driver().findElement(By.id("term")).sendKeys(term);
            Path broken = dir.resolve("preferences.csv");
            Files.writeString(broken, "applicant_id,course_id,rating\nA00001,C9999,5\nA00002,C0001,six\n");
            browser.driver().findElement(By.id("preferences")).sendKeys(broken.toString());
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("refused")).getText()).contains("2 problems");
            assertThat(browser.driver().findElement(By.id("errors")).getText()).contains("C9999").contains("six");
            browser.assertAccessible("import refused");
            shots.addAll(browser.screenshots("coordinator-import-refused"));

            browser.open(f.base + "/history?subject=" + term);
            assertThat(browser.driver().findElement(By.id("history")).getText()).contains("the sample department, by browser");
            browser.assertAccessible("history page");
            shots.addAll(browser.screenshots("coordinator-history"));

            browser.open(f.base + "/");
            browser.assertAccessible("dashboard");
            shots.addAll(browser.screenshots("coordinator-dashboard"));
            browser.open(f.base + "/accounts");
            browser.assertAccessible("accounts page");
            shots.addAll(browser.screenshots("coordinator-accounts"));
            browser.open(f.base + "/terms/" + term + "/applicants/A00001");
            browser.assertAccessible("applicant page");
            shots.addAll(browser.screenshots("coordinator-applicant"));

            String program = f.prefix + "-msc";
            f.service.data().content().save(new tapipeline.schemas.handbook.HandbookContent(program, "Master of Science",
                    "MSc", "Main", "2027-2028", 30, 4, List.of("An overview paragraph."), List.of("An outcome."),
                    new tapipeline.schemas.handbook.HandbookContent.Curriculum(List.of("30 units"), List.of(
                            new tapipeline.schemas.handbook.HandbookContent.Semester("Year 1 - Fall", List.of(
                                    new tapipeline.schemas.handbook.HandbookContent.CurriculumCourse("CPSC 500", "Research", 3))))),
                    List.of(new tapipeline.schemas.handbook.HandbookContent.Policy("Leave", "Ask first.")), List.of(),
                    List.of(new tapipeline.schemas.handbook.HandbookContent.Link("calendar", "Calendar", "https://example.edu/c")),
                    java.time.Instant.now()), null, f.coordinator, "browser test content");
            browser.open(f.base + "/content/" + program);
            browser.driver().findElement(By.id("outcomes")).sendKeys("\nA second outcome.");
            browser.driver().findElement(By.id("reason")).sendKeys("add an outcome");
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("message")).getText()).contains("Saved");
            browser.assertAccessible("content editor");
            shots.addAll(browser.screenshots("coordinator-content"));
            assertThat(f.service.data().content().current(program).orElseThrow().outcomes())
                    .containsExactly("An outcome.", "A second outcome.");
            // an approval with no run on the board (the sample's earlier term, a tool's record): a record, not a run
            String record = f.prefix + "-earlier-approval";
            try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> p = new tapipeline.platform.kafka.KafkaClients(
                    KafkaBrokerExtension.bootstrapServers()).producer("browser-approval-record")) {
                tapipeline.platform.kafka.Events.send(p, tapipeline.schemas.EventTypes.ASSIGNMENT_APPROVED, record,
                        new tapipeline.schemas.assignment.AssignmentApproved(f.prefix + " Fall", record, "registrar",
                                java.time.Instant.parse("2026-08-20T15:00:00Z"), List.of())).get();
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> f.service.runs().board().get(record).isPresent());
            browser.open(f.base + "/runs/" + record);
            assertThat(browser.driver().findElement(By.id("approval-only")).getText())
                    .contains("not made from a run on this board");
            assertThat(browser.driver().findElements(By.id("cancel-heading"))).isEmpty();
            browser.assertAccessible("an approval with no run");
            shots.addAll(browser.screenshots("coordinator-approval-only"));
            for (Path p : shots) {
                assertThat(Files.size(p)).as(p.toString()).isGreaterThan(5_000);
            }
        }
    }
}
