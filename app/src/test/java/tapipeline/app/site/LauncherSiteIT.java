package tapipeline.app.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.app.Launcher;
import tapipeline.platform.config.Config;
import tapipeline.schemas.handbook.HandbookArtifact;

/**
 * The one-command system with its sample data: the public site is the first URL the launcher lists,
 * and the program page shows the seed program (MS in AI Engineering, Pittsburgh) with its helpful
 * links: Apply and Visit to the seed's addresses, the handbook to a verified PDF edition, the TA
 * assignments to the sample term's page.
 */
class LauncherSiteIT {

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @Test
    void the_launcher_lists_the_site_first_and_its_program_page_has_working_links(@TempDir Path data) throws Exception {
        Config config = Config.of(Map.of("DATA_DIR", data.toString(), "EMBEDDED_KAFKA_PORT", "0",
                "COORDINATOR_PORT", "0", "SITE_PORT", "0", "MONITOR_PORT", "0", "OFFERS_PORT", "0", "SOLVER_PORT", "0",
                "HANDBOOK_PORT", "0", "HANDBOOK_QUIET_MS", "200"));
        try (Launcher launcher = new Launcher().start(config, true)) {
            Map.Entry<String, String> first = launcher.frontUrls().entrySet().iterator().next();
            assertThat(first.getKey()).isEqualTo("public site");
            String site = first.getValue().replaceAll("/$", "");

            // the handbook link moves to a verified edition once the handbook service has rendered the sample
            String page = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(site + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                page = r.body();
                if (r.statusCode() == 200 && page.contains("/handbook/editions/") && page.contains("/ta-assignments/")) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(page).contains("MS in Artificial Intelligence Engineering").contains("Pittsburgh campus")
                    .contains("Learning outcomes").contains("Helpful links");
            assertThat(page).contains("href=\"https://gradadmissions.engineering.cmu.edu/apply/\"")
                    .contains("href=\"https://www.ece.cmu.edu/about/visitor-info.html\"");
            List<String> local = new ArrayList<>();
            Matcher m = Pattern.compile("href=\"(/[^\"]*)\"").matcher(page);
            while (m.find()) {
                local.add(m.group(1).replace("&amp;", "&"));
            }
            assertThat(local).anyMatch(h -> h.startsWith("/handbook/editions/")).anyMatch(h -> h.startsWith("/ta-assignments/"));
            for (String href : local) {
                HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(site + href)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).as("GET %s", href).isEqualTo(200);
                if (href.startsWith("/handbook/editions/")) {
                    assertThat(new String(r.body(), 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
                    assertThat(href).contains(HandbookArtifact.sha256Hex(r.body()));
                }
                if (href.startsWith("/ta-assignments/")) {
                    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("Fall 2026");
                }
            }
        }
    }
}
