package tapipeline.coordinator.instructors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import tapipeline.coordinator.api.CoordinatorFixture;
import tapipeline.coordinator.sample.CoordinatorSampleData;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.schemas.EventTypes;
import tapipeline.platform.testing.web.Browser;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.schemas.coordinator.Account.Role;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Dataset;

/**
 * An instructor in headless Chromium on the sample department: signs in, opens one of their courses,
 * requests an applicant with a rank, vetoes another, sets the number of TAs, by forms that work without
 * JavaScript; axe-core at WCAG 2.2 AA on every instructor page; desktop and phone screenshots under
 * target/screenshots.
 */
@ExtendWith(KafkaBrokerExtension.class)
class InstructorBrowserIT {

    @Test
    void an_instructor_ranks_vetoes_and_sets_the_number_of_tas_accessibly() throws Exception {
        try (CoordinatorFixture f = new CoordinatorFixture(Map.of()); Browser browser = Browser.start()) {
            String instructor = f.prefix + "-prof";
            f.writer.write(instructor, "Sample Professor", List.of(Role.INSTRUCTOR), CoordinatorFixture.PASSWORD.toCharArray(), false);
            await().atMost(Duration.ofSeconds(60)).until(() -> f.service.runtime().accounts().find(instructor).isPresent());
            String term = f.term();
            Dataset sample = CoordinatorSampleData.sampleDataset();
            List<CourseDetail> details = sample.courseDetails().stream().map(d -> new CourseDetail(d.courseId(), d.duties(),
                    d.instructors().stream().map(u -> u.equals(CoordinatorSampleData.SAMPLE_INSTRUCTOR) ? instructor : u).toList()))
                    .toList();
            f.service.data().publishDataset(new Dataset(term, 1, sample.courses(), sample.applicants(), sample.preferences(),
                    sample.instructorPreferences(), sample.pins(), sample.contacts(), details), f.coordinator, "import",
                    "the sample department", "browser test");
            List<Path> shots = new ArrayList<>();

            browser.open(f.base + "/signin"); // signed in, the home page sends an instructor on to their courses
            browser.driver().findElement(By.id("username")).sendKeys(instructor);
            browser.driver().findElement(By.id("password")).sendKeys(CoordinatorFixture.PASSWORD);
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            assertThat(browser.driver().getCurrentUrl()).endsWith("/my");
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("My courses");
            assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("CPSC 141").contains("Term " + term);
            browser.assertAccessible("my courses");
            shots.addAll(browser.screenshots("instructor-my-courses"));

            browser.clickAndWait(By.partialLinkText("CPSC 141"));
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).startsWith("CPSC 141 101");
            browser.assertAccessible("course page");
            shots.addAll(browser.screenshots("instructor-course"));

            List<WebElement> cards = browser.driver().findElements(By.cssSelector("#applicants > li"));
            assertThat(cards).hasSizeGreaterThan(2);
            String first = cards.get(0).getAttribute("id").substring("applicant-".length());
            String second = cards.get(1).getAttribute("id").substring("applicant-".length());
            cards.get(0).findElement(By.name("rank")).sendKeys("1");
            browser.clickAndWait(cards.get(0).findElement(By.cssSelector("button[value=request]")));
            assertThat(browser.driver().findElement(By.id("message")).getText()).isEqualTo("Request saved.");
            assertThat(browser.driver().findElement(By.id("applicant-" + first)).getText()).contains("requested, rank 1");
            browser.assertAccessible("course page after a request");

            browser.clickAndWait(browser.driver().findElement(By.id("applicant-" + second)).findElement(By.cssSelector("button[value=ban]")));
            assertThat(browser.driver().findElement(By.id("message")).getText()).isEqualTo("Veto saved.");

            WebElement slots = browser.driver().findElement(By.id("slots"));
            slots.clear();
            slots.sendKeys("3");
            browser.clickAndWait(By.cssSelector("form[action$='/slots'] button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("message")).getText()).isEqualTo("Number of TAs saved.");
            assertThat(browser.driver().findElement(By.id("slots")).getAttribute("value")).isEqualTo("3");
            browser.assertAccessible("course page after a veto and the number of TAs");
            shots.addAll(browser.screenshots("instructor-course-saved"));

            slots = browser.driver().findElement(By.id("slots"));
            slots.clear();
            slots.sendKeys("9");
            // the browser's own check stops 9 (max 4); the server's is shown when the form is sent anyway
            ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript(
                    "document.querySelector(\"form[action$='/slots']\").noValidate = true");
            browser.clickAndWait(By.cssSelector("form[action$='/slots'] button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("course-error")).getText()).contains("from 1 to 4");
            browser.assertAccessible("course page with an error");
            shots.addAll(browser.screenshots("instructor-course-error"));

            Dataset d = f.service.data().datasets().current(term).orElseThrow();
            assertThat(d.version()).isEqualTo(4);

            // a run of the changed data (its result written as the solver service would): the requested applicant
            // holds a slot of C0001; the course page says so, and the staff's requests page lists every request
            String runId = f.prefix + "-browser-run";
            AssignmentProblem problem = new AssignmentProblem(runId, term, "D", d.courses(), d.applicants(), d.preferences(),
                    d.instructorPreferences(), d.pins(), List.of(), SolverSettings.defaults(), null);
            RunCompleted.Explanation why = new RunCompleted.Explanation("test", List.of(), List.of());
            RunCompleted done = new RunCompleted(runId, RunCompleted.Status.SOLVED, "0hard/0medium/0soft", List.of(),
                    List.of(new RunCompleted.Assignment("C0001", 0, first, false, why)), List.of(), List.of(), 10, 1);
            try (KafkaProducer<String, byte[]> producer = new KafkaClients(KafkaBrokerExtension.bootstrapServers())
                    .producer("it-instr-browser-run")) {
                Events.send(producer, EventTypes.RUN_REQUESTED, runId, problem).get(30, TimeUnit.SECONDS);
                Events.send(producer, EventTypes.RUN_COMPLETED, runId, done).get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> f.service.runs().board().get(runId)
                    .map(tapipeline.coordinator.runs.RunBoard.Run::reviewable).orElse(false));
            browser.open(f.base + InstructorViews.courseUrl(term, "C0001"));
            assertThat(browser.driver().findElement(By.id("run-requests")).getText()).contains("(rank 1): met")
                    .contains("Veto of").contains("honoured");
            browser.assertAccessible("course page with the last run's requests");
            shots.addAll(browser.screenshots("instructor-course-run"));
            browser.clickAndWait(By.cssSelector(".site-user form button[type=submit]"));
            browser.open(f.base + "/runs/" + runId + "/requests");
            browser.driver().findElement(By.id("username")).sendKeys(f.viewer);
            browser.driver().findElement(By.id("password")).sendKeys(CoordinatorFixture.PASSWORD);
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("requests-summary")).getText()).matches("1 of \\d+ requests met\\.");
            browser.assertAccessible("requests met and why not");
            shots.addAll(browser.screenshots("coordinator-requests-met"));
            assertThat(d.instructorPreferences()).contains(InstructorPreference.request("C0001", first, 1),
                    InstructorPreference.ban("C0001", second));
            assertThat(d.courses().stream().filter(c -> c.id().equals("C0001")).findFirst().orElseThrow().slots()).isEqualTo(3);
            for (Path p : shots) {
                assertThat(Files.size(p)).as(p.toString()).isGreaterThan(5_000);
            }
        }
    }
}
