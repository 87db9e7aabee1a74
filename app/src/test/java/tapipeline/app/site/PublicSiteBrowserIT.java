package tapipeline.app.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.web.Browser;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookArtifact;

/**
 * A student in headless Chromium: opens the program page, follows the handbook link and gets the
 * PDF whose sha256 the rendered event names; follows the TA-assignments link, sees the approved
 * term and filters it with the form (no JavaScript involved). axe-core finds no WCAG 2.2 AA
 * violation on either page; desktop and phone screenshots of both are kept in target/screenshots.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PublicSiteBrowserIT {

    @TempDir
    static Path downloads;
    static PublicSite site;

    @BeforeAll
    static void publish() throws Exception {
        site = new PublicSite("browser-program").awaitPublished();
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void a_student_gets_the_verified_handbook_and_the_approved_tas() throws Exception {
        try (Browser browser = Browser.start(downloads)) {
            browser.open(site.site + "/");
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo(site.content.name());
            assertThat(browser.driver().getTitle()).contains(site.content.name());
            browser.assertAccessible("program page");
            browser.screenshots("program-page");
            browser.assertNoConsoleErrors("program page");

            // the handbook link of "Helpful links" leads to the edition the rendered event names
            WebElement links = browser.driver().findElement(By.cssSelector("section[aria-labelledby=links]"));
            String handbookLabel = site.content.links().stream().filter(l -> l.id().equals("handbook")).findFirst()
                    .orElseThrow().label();
            links.findElement(By.linkText(handbookLabel)).click();
            Path pdf = Browser.awaitDownload(downloads, ".pdf", Duration.ofSeconds(30));
            assertThat(HandbookArtifact.sha256Hex(Files.readAllBytes(pdf))).isEqualTo(site.rendered.sha256());

            // the TA-assignments link shows the approved term
            browser.open(site.site + "/");
            String taLabel = site.content.links().stream().filter(l -> l.id().equals("ta-assignments")).findFirst()
                    .orElseThrow().label();
            browser.clickAndWait(browser.driver().findElement(By.cssSelector("section[aria-labelledby=links]"))
                    .findElement(By.linkText(taLabel)));
            browser.waitForUrl(site.termPath);
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).contains(site.approval.term());
            List<WebElement> rows = browser.driver().findElements(By.cssSelector("main table tbody tr"));
            assertThat(rows).hasSize(site.approval.courses().size());
            browser.assertAccessible("TA-assignments page");
            browser.screenshots("ta-assignments-page");

            // the filter: a TA's name leaves only their course
            AssignmentApproved.ApprovedCourse course = site.approval.courses().get(3);
            String ta = course.tas().get(0).name();
            WebElement q = browser.driver().findElement(By.id("q"));
            q.clear();
            q.sendKeys(ta);
            browser.clickAndWait(By.cssSelector("form.filter-form button[type=submit]"));
            browser.waitForUrl("q=");
            rows = browser.driver().findElements(By.cssSelector("main table tbody tr"));
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).getText()).contains(course.code()).contains(ta);
            assertThat(browser.driver().findElement(By.id("result-count")).getText())
                    .contains("1 of " + site.approval.courses().size());
            browser.assertAccessible("TA-assignments page, filtered");
            browser.screenshots("ta-assignments-filtered");
            browser.assertNoConsoleErrors("TA-assignments page");
        }
    }

}
