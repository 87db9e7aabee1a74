package tapipeline.coordinator.scenarios;

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
import org.openqa.selenium.support.ui.Select;

import tapipeline.coordinator.api.CoordinatorFixture;
import tapipeline.coordinator.runs.RunBoard;
import tapipeline.coordinator.sample.CoordinatorSampleData;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.web.Browser;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.coordinator.Dataset;

/**
 * What-if scenarios in headless Chromium, by forms alone (no script needed): choose a term, create a
 * scenario, cap the hours, take a TA from a course, solve it, see its what-if run offer no approval, and
 * compare it with the term's plan; a duplicate name is refused on the page. axe-core at WCAG 2.2 AA on
 * every page; desktop and phone screenshots under target/screenshots. The runs' results are written here
 * in place of the solver (app/'s WhatIfIT solves for real).
 */
@ExtendWith(KafkaBrokerExtension.class)
class ScenarioBrowserIT {

    @Test
    void create_edit_solve_and_compare_a_scenario_by_forms_accessibly() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        try (CoordinatorFixture f = new CoordinatorFixture(Map.of());
             KafkaProducer<String, byte[]> producer = new KafkaClients(bootstrap).producer("it-scenario-browser");
             Browser browser = Browser.start()) {
            String term = f.term();
            Dataset sample = CoordinatorSampleData.sampleDataset();
            Events.send(producer, EventTypes.COORDINATOR_DATASETS, term, new Dataset(term, 1, sample.courses(),
                    sample.applicants(), sample.preferences(), sample.instructorPreferences(), sample.pins()))
                    .get(30, TimeUnit.SECONDS);
            RunBoard board = f.service.runs().board();
            await().atMost(Duration.ofSeconds(30)).until(() -> f.service.data().datasets().current(term).isPresent());
            // the term's plan: a run of its data, completed here
            WebClient api = f.signedIn(f.coordinator);
            String planRun = WebClient.json(api.send("POST", "/api/runs", WebClient.JSON, "application/json",
                    "{\"term\":\"" + term + "\",\"timeLimitSeconds\":5}", Map.of("X-CSRF-Token", api.csrfToken())))
                    .path("runId").asText();
            WhatIfRuns.complete(producer, WhatIfRuns.fill(board.get(planRun).orElseThrow().problem(), 0, 9));

            List<Path> shots = new ArrayList<>();
            browser.open(f.base + "/scenarios");
            browser.driver().findElement(By.id("username")).sendKeys(f.coordinator);
            browser.driver().findElement(By.id("password")).sendKeys(CoordinatorFixture.PASSWORD);
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("What-if scenarios");
            browser.assertAccessible("scenarios of every term");
            new Select(browser.driver().findElement(By.id("choose-term"))).selectByValue(term);
            browser.clickAndWait(By.cssSelector("main form[role=search] button[type=submit]"));
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).contains(term);

            browser.driver().findElement(By.id("scenario-name")).sendKeys("Cap hours at 15");
            browser.driver().findElement(By.id("scenario-description")).sendKeys("What if nobody works more than 15 h?");
            browser.clickAndWait(By.cssSelector("#create-form button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("message")).getText()).contains("Scenario created");
            String page = browser.driver().getCurrentUrl();
            String id = page.replaceAll("^.*/scenarios/([^/?]+).*$", "$1");
            browser.assertAccessible("new scenario");

            new Select(browser.driver().findElement(By.id("slots-course"))).selectByValue("C0001");
            browser.driver().findElement(By.id("slots-count")).sendKeys("3");
            browser.driver().findElement(By.id("slots-reason")).sendKeys("one TA fewer in CPSC 141");
            browser.clickAndWait(By.cssSelector("form[aria-labelledby=slots-heading] button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("message")).getText()).contains("Edit saved");
            browser.driver().findElement(By.id("cap-hours")).sendKeys("15");
            browser.clickAndWait(By.cssSelector("form[aria-labelledby=cap-heading] button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("edits")).getText()).contains("hours capped at 15")
                    .contains("4 → 3").contains("one TA fewer in CPSC 141");
            assertThat(browser.driver().findElement(By.id("facts")).getText()).contains("scenario data version 3");
            // a bad cap is refused on the page, naming the field
            browser.driver().findElement(By.id("cap-hours")).sendKeys("15");
            browser.clickAndWait(By.cssSelector("form[aria-labelledby=cap-heading] button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("error")).getText())
                    .contains("maxHours: every applicant already has at most 15 hours");
            browser.assertAccessible("scenario with edits and an error");
            shots.addAll(browser.screenshots("coordinator-scenario"));

            browser.driver().findElement(By.id("solve-seconds")).clear();
            browser.driver().findElement(By.id("solve-seconds")).sendKeys("5");
            browser.clickAndWait(By.cssSelector("#solve-form button[type=submit]"));
            String whatIfRun = browser.driver().getCurrentUrl().replaceAll("^.*/runs/([^/?]+).*$", "$1");
            assertThat(browser.driver().findElement(By.id("what-if")).getText()).contains("Cap hours at 15").contains("never approved");
            browser.assertAccessible("what-if run solving");
            AssignmentProblem problem = board.get(whatIfRun).orElseThrow().problem();
            assertThat(problem.origin().scenarioId()).isEqualTo(id);
            WhatIfRuns.complete(producer, WhatIfRuns.fill(problem, 3, 11));
            await().atMost(Duration.ofSeconds(30)).until(() -> board.get(whatIfRun).map(RunBoard.Run::reviewable).orElse(false));

            browser.open(f.base + "/runs/" + whatIfRun + "/review");
            assertThat(browser.driver().findElement(By.id("what-if")).getText()).contains("not the term's plan")
                    .as("the scenario by its name").contains("Cap hours at 15");
            assertThat(browser.driver().findElements(By.cssSelector("form[action$='/approve']"))).isEmpty();
            assertThat(browser.driver().findElements(By.cssSelector("form[action$='/resolve']"))).isEmpty();
            browser.assertAccessible("what-if run review");
            browser.open(f.base + "/runs?term=" + term);
            assertThat(browser.driver().findElement(By.cssSelector("a.badge[href='/scenarios/" + id + "']")).getText())
                    .isEqualTo("what-if: Cap hours at 15");
            browser.assertAccessible("runs with a what-if run");
            shots.addAll(browser.screenshots("coordinator-runs-what-if"));

            browser.open(f.base + "/scenarios/" + id + "/compare");
            assertThat(browser.driver().findElement(By.id("sides")).getText()).contains(planRun).contains(whatIfRun)
                    .contains("the latest run (none approved yet)");
            String filled = browser.driver().findElement(By.id("filled-row")).getText();
            assertThat(filled).contains(" of ");
            assertThat(browser.driver().findElements(By.cssSelector("#moved tbody tr"))).isNotEmpty();
            assertThat(browser.driver().findElements(By.cssSelector("#constraints tbody tr"))).hasSize(2);
            browser.assertAccessible("compare page");
            shots.addAll(browser.screenshots("coordinator-scenario-compare"));

            // a second scenario of the same name is refused, on the list page
            browser.open(f.base + "/terms/" + term + "/scenarios");
            browser.driver().findElement(By.id("scenario-name")).sendKeys("cap HOURS at 15");
            browser.clickAndWait(By.cssSelector("#create-form button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("error")).getText()).contains("already has a scenario named");
            assertThat(browser.driver().findElement(By.id("scenarios")).getText()).contains("Cap hours at 15");
            browser.assertAccessible("scenarios of a term, with an error");
            shots.addAll(browser.screenshots("coordinator-scenarios"));
            for (Path p : shots) {
                assertThat(Files.size(p)).as(p.toString()).isGreaterThan(5_000);
            }
        }
    }
}
