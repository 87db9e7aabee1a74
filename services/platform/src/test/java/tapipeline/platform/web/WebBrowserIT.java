package tapipeline.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.web.Browser;
import tapipeline.schemas.coordinator.Account.Role;

/** The test site in headless Chromium: sign in, use a form, sign out; axe-core at WCAG 2.2 AA; screenshots. */
@ExtendWith(KafkaBrokerExtension.class)
class WebBrowserIT {

    @Test
    void sign_in_use_a_form_and_sign_out_accessibly() throws Exception {
        try (WebSiteFixture site = new WebSiteFixture(); Browser browser = Browser.start()) {
            String user = site.account("browser", List.of(Role.OPERATOR), false);

            browser.open(site.base + "/dashboard");
            assertThat(browser.driver().getCurrentUrl()).contains("/signin?next=%2Fdashboard");
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Sign in");
            browser.assertAccessible("sign-in page");
            List<Path> shots = browser.screenshots("platform-signin");

            browser.driver().findElement(By.id("username")).sendKeys(user);
            browser.driver().findElement(By.id("password")).sendKeys("wrong password");
            browser.clickAndWait(By.cssSelector("form button[type=submit]"));
            assertThat(browser.driver().findElement(By.cssSelector("[role=alert]")).getText()).contains("Wrong user name");
            browser.assertAccessible("sign-in page with an error");
            assertThat(browser.consoleErrors()).singleElement().asString().contains("401"); // the refused sign-in itself

            browser.driver().findElement(By.id("password")).sendKeys(WebSiteFixture.PASSWORD);
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            browser.waitForUrl("/dashboard");
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");

            browser.driver().findElement(By.id("thing")).sendKeys("<b>a thing</b>");
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            assertThat(browser.driver().findElement(By.id("things")).getText()).contains("<b>a thing</b>");
            browser.assertAccessible("dashboard");

            browser.driver().findElement(By.id("htmx-add")).click();
            new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
                    .until(d -> d.findElement(By.id("htmx-result")).getText().contains("added by htmx"));
            assertThat(site.site.things).contains("added by htmx");
            browser.assertNoConsoleErrors("dashboard");
            shots = new java.util.ArrayList<>(shots);
            shots.addAll(browser.screenshots("platform-dashboard"));

            browser.clickAndWait(By.cssSelector("header form button[type=submit]"));
            browser.waitForUrl("/signin");
            browser.open(site.base + "/dashboard");
            assertThat(browser.driver().getCurrentUrl()).contains("/signin");

            for (Path p : shots) {
                assertThat(Files.size(p)).as(p.toString()).isGreaterThan(5_000);
            }
        }
    }
}
