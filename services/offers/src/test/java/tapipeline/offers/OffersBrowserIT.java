package tapipeline.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static tapipeline.offers.OffersFixture.approve;
import static tapipeline.offers.OffersFixture.course;
import static tapipeline.offers.OffersFixture.dataset;
import static tapipeline.offers.OffersFixture.ta;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.web.Browser;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.platform.web.Secret;
import tapipeline.schemas.coordinator.Account.Role;
import tapipeline.schemas.offers.Offer;
import tapipeline.schemas.offers.OfferAnswered;

/**
 * Must-show: a TA opens the offer link in headless Chromium (no sign-in), sees the offer and declines
 * with a reason; the coordinator signs in and sees it declined per TA and per course. axe-core finds
 * no WCAG 2.2 AA violation on the offer page, the answered page, the refused link, the overview and
 * the outbox; desktop and phone screenshots go to target/screenshots/offers-*.png.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OffersBrowserIT {

    private static final String PASSWORD = "a long offers browser password";

    @Test
    void a_ta_declines_in_the_browser_and_the_coordinator_sees_it() throws Exception {
        String term = OffersFixture.term("T4");
        ServiceRuntime offers = null;
        try (KafkaProducer<String, byte[]> p = OffersFixture.producer();
             EventWatcher events = new EventWatcher(KafkaBrokerExtension.bootstrapServers(), "offers.state",
                     "offers.answered");
             Browser browser = Browser.start()) {
            String user = "coord-" + Long.toHexString(System.nanoTime());
            new AccountWriter(p, new PasswordHasher()).write(user, "Cora Coordinator", List.of(Role.COORDINATOR),
                    PASSWORD.toCharArray(), false);
            dataset(p, term, "p1", "q2");
            offers = (ServiceRuntime) ServiceHarness.start(new OffersService(), Map.of(
                    "WEB_SESSION_SECRET", "an offers browser session secret, 40 chars",
                    "OFFERS_TOKEN_SECRET", OffersServiceIT.SECRET, "OFFERS_CHECK_SECONDS", "1"));
            approve(p, term, "run-7", course("c1", "CS101", ta("p1", 10), ta("q2", 5)), course("c2", "CS202", ta("p1", 4)));
            Offer offer = events.await(Offer.class, o -> o.term().equals(term) && o.applicantId().equals("p1"),
                    Duration.ofSeconds(20));
            String base = offers.httpBaseUrl();
            String link = base + "/offer/" + new OfferTokens(Secret.persistent("K", OffersServiceIT.SECRET, null))
                    .token(offer.offerId());

            // the TA: no sign-in, the frozen offer, decline with a reason
            browser.open(link);
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Your TA offer for " + term);
            String main = browser.driver().findElement(By.tagName("main")).getText();
            assertThat(main).contains("CS101").contains("CS202").contains("Total: 14 hours per week")
                    .contains("Run two lab sections");
            browser.assertAccessible("offer page");
            browser.assertNoConsoleErrors("offer page");
            assertThat(browser.driver().findElements(By.linkText("Coordinator"))).as("no staff navigation for a TA").isEmpty();
            browser.screenshots("offers-offer");
            browser.driver().findElement(By.id("reason")).sendKeys("I was offered a research assistantship.");
            browser.clickAndWait(By.cssSelector("button[name=answer][value=decline]"));
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Offer declined");
            browser.assertAccessible("answered page");
            browser.screenshots("offers-answered");
            OfferAnswered declined = events.await(OfferAnswered.class, a -> a.offerId().equals(offer.offerId()),
                    Duration.ofSeconds(10));
            assertThat(declined.answer()).isEqualTo(OfferAnswered.Answer.DECLINED);
            assertThat(declined.reason()).isEqualTo("I was offered a research assistantship.");
            // the link again: refused, no details
            browser.open(link);
            assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("already been answered")
                    .doesNotContain("CS101");
            browser.assertAccessible("used link");
            assertThat(browser.consoleErrors()).singleElement().asString().contains("410"); // the refusal itself

            // the coordinator: sign in, the offers per TA and per course, the outbox
            browser.open(base + "/offers?term=" + term);
            assertThat(browser.driver().getCurrentUrl()).contains("/signin");
            browser.driver().findElement(By.id("username")).sendKeys(user);
            browser.driver().findElement(By.id("password")).sendKeys(PASSWORD);
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            String overview = browser.driver().findElement(By.tagName("main")).getText();
            assertThat(overview).contains("Offers for " + term).contains("TA P1").contains("Declined")
                    .contains("I was offered a research assistantship.").contains("Per course");
            browser.assertAccessible("offers overview");
            browser.assertNoConsoleErrors("offers overview");
            assertThat(browser.driver().findElement(By.linkText("Coordinator")).getAttribute("href"))
                    .as("OFFERS_COORDINATOR_URL's default").isEqualTo("http://localhost:8080/");
            browser.screenshots("offers-overview");
            browser.clickAndWait(By.linkText("Outbox"));
            assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("q2@example.edu");
            browser.assertAccessible("outbox");
            browser.screenshots("offers-outbox");
        } finally {
            if (offers != null) {
                offers.close();
            }
        }
    }
}
