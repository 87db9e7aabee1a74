package tapipeline.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/**
 * The publisher on the real embedded broker, as one story: an edition is verified and the link
 * moves; corrupt, failing and missing editions leave it; a rollback restores the earlier target; a
 * publisher with an empty disk rebuilds everything from the topics; two instances flip once per
 * edition. The tests run in order and share the broker's site.links registry.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublisherIT {

    static final String PROGRAM = "it-program";
    static final String TOKEN = "it-token-" + UUID.randomUUID();
    static final Duration WAIT = Duration.ofSeconds(60);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path disks;

    static RunningService publisher;
    static String site;
    static KafkaProducer<String, byte[]> producer;
    static EventWatcher watcher;
    static Envelope<HandbookContent> content;
    static byte[] first;
    static byte[] fourth;

    @BeforeAll
    static void start() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        publisher = startPublisher("1", disks.resolve("a"));
        site = siteOf(publisher);
        producer = new KafkaClients(bootstrap).producer("publisher-it");
        watcher = new EventWatcher(bootstrap, Topics.SITE_LINKS.name(), Topics.AUDIT.name());
        HandbookContent c = Fixtures.content(PROGRAM, "2026-2027", "First overview.");
        content = Fixtures.send(producer, EventTypes.HANDBOOK_CONTENT, c);
    }

    @AfterAll
    static void stop() throws Exception {
        watcher.close();
        producer.close();
        if (publisher != null) {
            publisher.close();
        }
    }

    static RunningService startPublisher(String instance, Path dir) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("INSTANCE_ID", instance);
        s.put("PUBLISHER_ARTIFACT_DIR", dir.toString());
        s.put("SITE_PROGRAM", PROGRAM);
        s.put("PUBLISHER_API_TOKEN", TOKEN);
        s.put("CONSUMER_RETRY_BACKOFF_MS", "50");
        return ServiceHarness.start(new PublisherService(), s);
    }

    static String siteOf(RunningService s) {
        return s.urls().get("public site").replaceAll("/$", "");
    }

    @Test
    @Order(1)
    void a_rendered_edition_moves_the_handbook_link_to_a_url_serving_exactly_its_bytes() throws Exception {
        // the links are seeded from the content first
        watcher.await(SiteLink.class, l -> l.linkId().equals("apply") && l.version() == 1, WAIT);
        first = Fixtures.pdf("edition one " + UUID.randomUUID());
        HandbookRendered r = Fixtures.rendered(PROGRAM, "2026-2027", first, content.eventId(), null, true, true);
        Envelope<HandbookRendered> event = Fixtures.publishEdition(producer, r, first);

        SiteLink link = watcher.await(SiteLink.class, l -> l.linkId().equals("handbook")
                && l.target().equals(SiteState.editionUrl(r.sha256())), WAIT);
        AuditEntry audit = watcher.await(AuditEntry.class, a -> a.action().equals("link.flip")
                && a.detail().contains(r.sha256()), WAIT);
        assertThat(audit.subject()).isEqualTo("site.links/handbook");
        assertThat(audit.detail()).contains("handbook.rendered " + event.eventId());

        HttpResponse<byte[]> versioned = await(() -> get(site + link.target(), Map.of()), 200);
        assertThat(versioned.body()).isEqualTo(first);
        HttpResponse<byte[]> latest = await(() -> get(site + "/handbook/latest.pdf", Map.of()), 200);
        assertThat(HandbookArtifact.sha256Hex(latest.body())).isEqualTo(r.sha256());
        // the file is on disk under its sha256
        assertThat(Files.readAllBytes(disks.resolve("a").resolve(r.sha256() + ".pdf"))).isEqualTo(first);
    }

    @Test
    @Order(2)
    void downloads_follow_http_semantics() throws Exception {
        String sha = HandbookArtifact.sha256Hex(first);
        String versioned = site + SiteState.editionUrl(sha);
        HttpResponse<byte[]> full = get(versioned, Map.of());
        assertThat(full.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(full.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
        assertThat(full.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
        assertThat(full.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(full.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
        assertThat(full.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        // the same security headers as the site's pages (framing: the site itself only, as the PDF's CSP says)
        assertThat(full.headers().firstValue("Referrer-Policy")).hasValue(tapipeline.platform.web.Web.REFERRER_POLICY);
        assertThat(full.headers().firstValue("Permissions-Policy")).hasValue(tapipeline.platform.web.Web.PERMISSIONS_POLICY);
        assertThat(full.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
        assertThat(full.headers().firstValue("Content-Length")).hasValue(Integer.toString(first.length));
        String disposition = full.headers().firstValue("Content-Disposition").orElseThrow();
        // RFC 6266: an ASCII fallback and the exact UTF-8 name (program and edition)
        assertThat(disposition).startsWith("inline; filename=\"MS in Testing Unicode - handbook 2026-2027.pdf\"");
        assertThat(disposition).contains("filename*=UTF-8''MS%20in%20Testing%20%C3%9Cn%C3%AFcode%20%E2%80%93%20handbook%202026-2027.pdf");

        HttpResponse<byte[]> latest = get(site + "/handbook/latest.pdf", Map.of());
        assertThat(latest.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=60").doesNotContain("immutable");
        assertThat(latest.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
        assertThat(latest.headers().firstValue("Content-Disposition")).hasValue(disposition);
        assertThat(latest.headers().firstValue("Referrer-Policy")).hasValue(tapipeline.platform.web.Web.REFERRER_POLICY);
        assertThat(latest.body()).isEqualTo(first);

        HttpResponse<byte[]> notModified = get(versioned, Map.of("If-None-Match", "\"" + sha + "\""));
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(get(versioned, Map.of("If-None-Match", "\"other\"")).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> part = get(versioned, Map.of("Range", "bytes=5-104"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 5-104/" + first.length);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(first, 5, 105));
        assertThat(part.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
        assertThat(part.headers().firstValue("Content-Disposition")).hasValue(disposition);
        HttpResponse<byte[]> suffix = get(versioned, Map.of("Range", "bytes=-10"));
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(first, first.length - 10, first.length));
        HttpResponse<byte[]> beyond = get(versioned, Map.of("Range", "bytes=" + first.length + "-"));
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + first.length);
        assertThat(get(versioned, Map.of("Range", "bytes=0-1", "If-Range", "\"stale\"")).statusCode()).isEqualTo(200);

        HttpResponse<byte[]> head = HTTP.send(HttpRequest.newBuilder(URI.create(versioned))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(first.length));
        assertThat(head.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");

        // nothing but a verified sha256 names a file
        assertThat(get(site + "/handbook/editions/..%2F..%2Fetc%2Fpasswd", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get(site + "/handbook/editions/" + "0".repeat(64) + ".pdf", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void corrupt_failing_or_missing_editions_leave_the_link_and_are_reported() throws Exception {
        String before = SiteState.editionUrl(HandbookArtifact.sha256Hex(first));
        // 1. an artifact whose bytes do not hash to its key
        byte[] claimed = Fixtures.pdf("claimed " + UUID.randomUUID());
        HandbookRendered corrupt = Fixtures.rendered(PROGRAM, "2026-2027", claimed, content.eventId(), null, true, true);
        Fixtures.sendCorruptArtifact(producer, corrupt.sha256(), Fixtures.pdf("something else " + UUID.randomUUID()));
        Fixtures.send(producer, EventTypes.HANDBOOK_RENDERED, corrupt);
        AuditEntry refused = watcher.await(AuditEntry.class, a -> a.action().equals("edition.refused")
                && a.detail().contains(corrupt.sha256()), WAIT);
        assertThat(refused.detail()).contains("corrupt").contains("the link stays at " + before);
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(site + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        // degraded, not down: the site still serves the previous edition, so the instance stays in rotation
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"DEGRADED\"").contains("\"degraded\":true")
                .contains("was refused").contains(corrupt.sha256().substring(0, 12));
        assertThat(metric("tapipeline_publisher_editions_total", "outcome=\"refused\"")).isGreaterThanOrEqualTo(1);

        // 2. bytes that are fine, but the rendered event says PDF/UA-1 failed
        byte[] failing = Fixtures.pdf("fails validation " + UUID.randomUUID());
        HandbookRendered invalid = Fixtures.rendered(PROGRAM, "2026-2027", failing, content.eventId(), null, false, true);
        Fixtures.publishEdition(producer, invalid, failing);
        watcher.await(AuditEntry.class, a -> a.action().equals("edition.refused") && a.detail().contains(invalid.sha256())
                && a.detail().contains("PDF/UA-1 failed"), WAIT);

        // 3. a rendered event whose artifact never arrived
        byte[] lost = Fixtures.pdf("never sent " + UUID.randomUUID());
        HandbookRendered missing = Fixtures.rendered(PROGRAM, "2026-2027", lost, content.eventId(), null, true, true);
        Fixtures.send(producer, EventTypes.HANDBOOK_RENDERED, missing);
        watcher.await(AuditEntry.class, a -> a.action().equals("edition.refused") && a.detail().contains(missing.sha256())
                && a.detail().contains("missing"), WAIT);

        assertThat(watcher.payloads(SiteLink.class, l -> l.linkId().equals("handbook")).get(
                watcher.payloads(SiteLink.class, l -> l.linkId().equals("handbook")).size() - 1).target()).isEqualTo(before);
        for (HandbookRendered r : List.of(corrupt, invalid, missing)) {
            assertThat(watcher.payloads(SiteLink.class, l -> l.target().contains(r.sha256()))).isEmpty();
            assertThat(get(site + SiteState.editionUrl(r.sha256()), Map.of()).statusCode()).isEqualTo(404);
        }
        assertThat(HandbookArtifact.sha256Hex(get(site + "/handbook/latest.pdf", Map.of()).body()))
                .isEqualTo(HandbookArtifact.sha256Hex(first));
    }

    @Test
    @Order(4)
    void a_rollback_restores_the_earlier_target_and_is_audited() throws Exception {
        fourth = Fixtures.pdf("edition four " + UUID.randomUUID());
        HandbookRendered r = Fixtures.rendered(PROGRAM, "2027-2028", fourth, content.eventId(), null, true, true);
        Fixtures.publishEdition(producer, r, fourth);
        SiteLink moved = watcher.await(SiteLink.class, l -> l.linkId().equals("handbook")
                && l.target().equals(SiteState.editionUrl(r.sha256())), WAIT);
        String firstUrl = SiteState.editionUrl(HandbookArtifact.sha256Hex(first));
        assertThat(moved.previousTarget()).isEqualTo(firstUrl);
        await(() -> HTTP.send(HttpRequest.newBuilder(URI.create(site + "/health")).build(),
                HttpResponse.BodyHandlers.ofByteArray()), 200); // a published edition clears the report

        // no token, a wrong token, or a target that was never published: refused
        assertThat(post(site + "/api/links/handbook/rollback", "actor=alice", null).statusCode()).isEqualTo(401);
        assertThat(post(site + "/api/links/handbook/rollback", "actor=alice", "wrong").statusCode()).isEqualTo(401);
        assertThat(post(site + "/api/links/handbook/rollback", "actor=alice&target=https://evil.example/x.pdf", TOKEN)
                .statusCode()).isEqualTo(400);

        // a coordinator signed in on the site (accounts from coordinator.accounts): the role is needed
        AccountWriter accounts = new AccountWriter(producer, new PasswordHasher());
        accounts.write("carol-" + TOKEN.hashCode(), "Carol", List.of(Account.Role.COORDINATOR), "carol password".toCharArray(), false);
        accounts.write("vic-" + TOKEN.hashCode(), "Vic", List.of(Account.Role.VIEWER), "vic password".toCharArray(), false);
        WebClient carol = signedIn("carol-" + TOKEN.hashCode(), "carol password");
        WebClient vic = signedIn("vic-" + TOKEN.hashCode(), "vic password");
        assertThat(new WebClient(site).postForm("/links/handbook/rollback", WebClient.JSON, Map.of()).statusCode()).isEqualTo(401);
        assertThat(vic.postForm("/links/handbook/rollback", WebClient.JSON, Map.of("_csrf", vic.csrfToken())).statusCode())
                .isEqualTo(403);
        HttpResponse<String> bySession = carol.postForm("/links/handbook/rollback", WebClient.JSON,
                Map.of("_csrf", carol.csrfToken()));
        assertThat(bySession.statusCode()).as(bySession.body()).isEqualTo(200);
        SiteLink back = watcher.await(SiteLink.class, l -> l.linkId().equals("handbook")
                && l.version() == moved.version() + 1, WAIT);
        assertThat(back.target()).isEqualTo(firstUrl);
        assertThat(back.changedBy()).isEqualTo("carol-" + TOKEN.hashCode());
        AuditEntry audit = watcher.await(AuditEntry.class, a -> a.action().equals("rollback")
                && a.subject().equals("site.links/handbook") && a.actor().equals("carol-" + TOKEN.hashCode()), WAIT);
        assertThat(audit.detail()).contains("to " + firstUrl);

        // the same through the coordinator service's API: to a named earlier edition, then back to the previous target
        String fourthUrl = SiteState.editionUrl(r.sha256());
        HttpResponse<String> ok = post(site + "/api/links/handbook/rollback", "actor=alice&target=" + fourthUrl, TOKEN);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        watcher.await(SiteLink.class, l -> l.linkId().equals("handbook") && l.version() == moved.version() + 2
                && l.target().equals(fourthUrl) && l.changedBy().equals("alice"), WAIT);
        ok = post(site + "/api/links/handbook/rollback", "actor=alice", TOKEN);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        watcher.await(SiteLink.class, l -> l.linkId().equals("handbook") && l.version() == moved.version() + 3
                && l.target().equals(firstUrl), WAIT);
        watcher.await(AuditEntry.class, a -> a.action().equals("rollback") && a.actor().equals("alice")
                && a.detail().contains("to " + firstUrl), WAIT);
        assertThat(get(site + "/handbook/latest.pdf", Map.of()).body()).isEqualTo(first);

        // an external link gets a new target through the same API; the managed links cannot be edited
        HttpResponse<String> edit = put(site + "/api/links/apply", "actor=alice&target=https://example.edu/apply-2027", TOKEN);
        assertThat(edit.statusCode()).as(edit.body()).isEqualTo(200);
        watcher.await(SiteLink.class, l -> l.linkId().equals("apply") && l.target().equals("https://example.edu/apply-2027"), WAIT);
        assertThat(put(site + "/api/links/apply", "actor=alice&target=javascript:alert(1)", TOKEN).statusCode()).isEqualTo(400);
        assertThat(put(site + "/api/links/handbook", "actor=alice&target=https://example.edu/x", TOKEN).statusCode()).isEqualTo(409);
    }

    @Test
    @Order(5)
    void an_approval_publishes_its_term_page_and_moves_the_ta_link() throws Exception {
        var approval = Fixtures.approval("Spring 2031", "run-it-spring-2031", Instant.parse("2031-01-10T10:00:00Z"),
                "=HYPERLINK(\"http://evil\")");
        Fixtures.send(producer, EventTypes.ASSIGNMENT_APPROVED, approval);
        SiteLink link = watcher.await(SiteLink.class, l -> l.linkId().equals("ta-assignments")
                && l.target().equals("/ta-assignments/spring-2031"), WAIT);
        watcher.await(AuditEntry.class, a -> a.action().equals("link.flip") && a.subject().equals("site.links/ta-assignments")
                && a.detail().contains("run-it-spring-2031"), WAIT);

        HttpResponse<byte[]> json = await(() -> get(site + link.target() + ".json", Map.of()), 200);
        JsonNode doc = EventCodec.objectMapper().readTree(json.body());
        assertThat(doc.get("term").asText()).isEqualTo("Spring 2031");
        assertThat(doc.get("courses")).hasSize(3);
        assertThat(new String(json.body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("applicantId").doesNotContain("a-1");
        // by TA name, accents and case ignored; by title; by code
        JsonNode filtered = EventCodec.objectMapper().readTree(get(site + link.target() + ".json?q=RAMIREZ", Map.of()).body());
        assertThat(filtered.get("courses")).hasSize(1);
        assertThat(filtered.get("courses").get(0).get("code").asText()).isEqualTo("18-661");
        JsonNode byTitle = EventCodec.objectMapper().readTree(get(site + link.target() + ".json?q=deep", Map.of()).body());
        assertThat(byTitle.get("courses")).hasSize(1);
        assertThat(byTitle.get("courses").get(0).get("code").asText()).isEqualTo("18-786");
        JsonNode byCode = EventCodec.objectMapper().readTree(get(site + link.target() + ".json?q=18-797", Map.of()).body());
        assertThat(byCode.get("courses")).hasSize(1);

        String csv = new String(get(site + link.target() + ".csv", Map.of()).body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(csv).contains("'=HYPERLINK(\"\"http://evil\"\")").doesNotContain(",\"=HYPERLINK");
        assertThat(csv).contains("José Ramírez").contains("Анна Кузнецова");
        HttpResponse<byte[]> index = get(site + "/ta-assignments", Map.of());
        assertThat(index.statusCode()).isEqualTo(303);
        assertThat(index.headers().firstValue("Location")).hasValue(link.target());
        String page = new String(get(site + link.target() + "?q=18-661", Map.of()).body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(page).contains("<h1>Teaching assistant assignments, Spring 2031</h1>").contains("José Ramírez")
                .contains("Showing 1 of 3 courses").doesNotContain("Deep Learning");
        String all = new String(get(site + link.target(), Map.of()).body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(all).as("escaped").contains("Dr. &lt;b&gt;Bold&lt;/b&gt;").doesNotContain("<b>Bold");
    }

    @Test
    @Order(6)
    void a_publisher_restarted_with_an_empty_disk_rebuilds_links_and_artifacts_from_the_topics() throws Exception {
        publisher.close();
        Path empty = disks.resolve("empty");
        publisher = startPublisher("1", empty);
        site = siteOf(publisher);
        String sha = HandbookArtifact.sha256Hex(first);
        HttpResponse<byte[]> latest = await(() -> get(site + "/handbook/latest.pdf", Map.of()), 200);
        assertThat(latest.body()).isEqualTo(first);
        JsonNode links = EventCodec.objectMapper().readTree(get(site + "/api/links", Map.of()).body());
        Map<String, String> targets = new HashMap<>();
        links.forEach(l -> targets.put(l.get("linkId").asText(), l.get("target").asText()));
        assertThat(targets).containsEntry("handbook", SiteState.editionUrl(sha))
                .containsEntry("apply", "https://example.edu/apply-2027")
                .containsEntry("ta-assignments", "/ta-assignments/spring-2031");
        // every published edition is back on disk; refused ones are not
        String fourthSha = HandbookArtifact.sha256Hex(fourth);
        awaitTrue(() -> Files.exists(empty.resolve(fourthSha + ".pdf")));
        assertThat(Files.readAllBytes(empty.resolve(sha + ".pdf"))).isEqualTo(first);
        assertThat(get(site + SiteState.editionUrl(fourthSha), Map.of()).body()).isEqualTo(fourth);
    }

    @Test
    @Order(7)
    void two_publisher_instances_flip_once_per_edition() throws Exception {
        publisher.close();
        publisher = null;
        RunningService b = startPublisher("2", disks.resolve("b"));
        RunningService c = startPublisher("3", disks.resolve("c"));
        try {
            List<String> urls = new ArrayList<>();
            Envelope<HandbookRendered> last = null;
            for (int i = 0; i < 6; i++) {
                byte[] pdf = Fixtures.pdf("two instances " + i + " " + UUID.randomUUID());
                HandbookRendered r = Fixtures.rendered(PROGRAM, "2028-2029", pdf, content.eventId(), null, true, true);
                last = Fixtures.publishEdition(producer, r, pdf);
                urls.add(SiteState.editionUrl(r.sha256()));
                if (i == 2) {
                    b.close(); // one instance goes away half-way: its partitions move to the other
                }
            }
            // the same rendered event delivered again changes nothing
            Fixtures.send(producer, EventTypes.HANDBOOK_RENDERED, last.payload());
            String lastUrl = urls.get(urls.size() - 1);
            watcher.await(SiteLink.class, l -> l.linkId().equals("handbook") && l.target().equals(lastUrl), WAIT);
            Thread.sleep(3000); // room for a duplicate flip to show up
            for (String url : urls) {
                assertThat(watcher.payloads(SiteLink.class, l -> l.linkId().equals("handbook") && l.target().equals(url)))
                        .as("flips to %s", url).hasSize(1);
                assertThat(watcher.payloads(AuditEntry.class, a -> a.action().equals("link.flip") && a.detail().contains("to " + url + " ")))
                        .as("audit entries of the flip to %s", url).hasSize(1);
            }
            List<Long> versions = watcher.payloads(SiteLink.class, l -> l.linkId().equals("handbook")).stream()
                    .map(SiteLink::version).toList();
            for (int i = 1; i < versions.size(); i++) {
                assertThat(versions.get(i)).as("versions %s", versions).isEqualTo(versions.get(i - 1) + 1);
            }
        } finally {
            b.close();
            c.close();
        }
    }

    // ---- helpers ----

    /** Signs in once the account has been replayed by the publisher. */
    static WebClient signedIn(String user, String password) throws Exception {
        return WebClient.signedIn(site, user, password, WAIT);
    }

    interface Call<T> {
        HttpResponse<T> get() throws Exception;
    }

    static <T> HttpResponse<T> await(Call<T> call, int status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<T> r = call.get();
        while (r.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
            r = call.get();
        }
        assertThat(r.statusCode()).isEqualTo(status);
        return r;
    }

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static HttpResponse<byte[]> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> post(String url, String form, String token) throws Exception {
        return send("POST", url, form, token);
    }

    static HttpResponse<String> put(String url, String form, String token) throws Exception {
        return send("PUT", url, form, token);
    }

    static HttpResponse<String> send(String method, String url, String form, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(form));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static double metric(String name, String label) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(site + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith(name) && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
