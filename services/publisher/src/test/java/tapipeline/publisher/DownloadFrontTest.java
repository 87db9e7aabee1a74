package tapipeline.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.publisher.artifacts.ArtifactStore;
import tapipeline.publisher.artifacts.Verification;
import tapipeline.publisher.site.DownloadFront;
import tapipeline.publisher.site.Downloads;
import tapipeline.publisher.site.FastDownloads;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/**
 * The download front on its own, with a real Jetty behind it wired as the publisher wires it (PROXY
 * protocol connector on loopback, FastDownloads first): which requests it answers itself, that its
 * answers equal Jetty's, and that a connection handed to Jetty keeps its bytes, order and client.
 * Requests are written on plain sockets, so the exact bytes (pipelining, malformed requests) are the test's.
 */
class DownloadFrontTest {

    @TempDir
    static Path dir;

    static byte[] pdf;
    static String sha;
    static Server jetty;
    static DownloadFront front;
    static Downloads downloads;
    /** Requests that reached Jetty. */
    static final AtomicInteger atJetty = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        pdf = Fixtures.pdf("front " + UUID.randomUUID());
        sha = HandbookArtifact.sha256Hex(pdf);
        ArtifactStore store = new ArtifactStore(dir.resolve("artifacts"));
        store.put(sha, pdf);
        SiteState state = new SiteState("");
        HandbookRendered r = Fixtures.rendered("ms-front", "2026-2027", pdf, UUID.randomUUID(), null, true, true);
        state.onRendered(r, UUID.randomUUID(), Instant.now(), 1);
        state.verdict("ms-front", sha, Verification.of(r, HandbookArtifact.of(HandbookArtifact.PDF, pdf)));
        state.onLink(new SiteLink(SiteState.HANDBOOK_LINK, "Handbook", SiteState.editionUrl(sha), 1, null, "test",
                Instant.now()), 0, 0);
        downloads = new Downloads(state, store, null);

        jetty = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false); // as Javalin's
        ServerConnector c = new ServerConnector(jetty, new ProxyConnectionFactory(HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(http));
        c.setHost("127.0.0.1");
        c.setPort(0);
        jetty.addConnector(c);
        FastDownloads fast = new FastDownloads(downloads);
        fast.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                // a page: says what it was asked and whom Jetty believes it is talking to
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                Content.Sink.write(response, true, "page " + request.getMethod() + " " + request.getHttpURI().getPathQuery()
                        + " from " + Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request), callback);
                return true;
            }
        });
        jetty.setHandler(new Handler.Wrapper(fast) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                atJetty.incrementAndGet();
                return super.handle(request, response, callback);
            }
        });
        jetty.start();
        front = DownloadFront.start(downloads, "127.0.0.1", 0, c.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        front.close();
        jetty.stop();
        downloads.close();
    }

    @BeforeEach
    void reset() {
        atJetty.set(0);
    }

    @Test
    void plain_downloads_are_answered_by_the_front_with_the_bytes_and_headers_jetty_sends() throws Exception {
        for (String path : new String[] {Downloads.LATEST, SiteState.editionUrl(sha)}) {
            try (Socket s = socket()) {
                Resp fast = exchange(s, get(path, ""));
                // the same URL with a query goes to Jetty, whose FastDownloads answers it
                Resp viaJetty = exchange(s, get(path + "?via=jetty", ""));
                assertThat(fast.status()).isEqualTo(200);
                assertThat(fast.body()).isEqualTo(pdf);
                assertThat(viaJetty.body()).isEqualTo(pdf);
                assertThat(withoutDate(fast.headers())).isEqualTo(withoutDate(viaJetty.headers()));
                assertThat(fast.headers()).containsKey("date");
            }
            assertThat(atJetty.getAndSet(0)).as("requests that reached Jetty").isEqualTo(1);
        }
    }

    @Test
    void head_ranges_and_conditional_requests_equal_jettys_answers() throws Exception {
        String url = SiteState.editionUrl(sha);
        String etag = "\"" + sha + "\"";
        String[][] cases = {
                {"HEAD", ""},
                {"GET", "Range: bytes=5-104\r\n"},
                {"GET", "Range: bytes=-10\r\n"},
                {"GET", "Range: bytes=" + pdf.length + "-\r\n"},
                {"GET", "Range: bytes=0-1\r\nIf-Range: \"stale\"\r\n"},
                {"GET", "If-None-Match: " + etag + "\r\n"},
                {"GET", "If-None-Match: \"other\"\r\n"},
        };
        int expectedAtJetty = 0;
        for (String[] c : cases) {
            boolean head = c[0].equals("HEAD");
            try (Socket s = socket()) {
                Resp fast = exchange(s, request(c[0], url, c[1]), head);
                Resp viaJetty = exchange(s, request(c[0], url + "?via=jetty", c[1]), head);
                expectedAtJetty++;
                assertThat(fast.status()).as(c[0] + " " + c[1]).isEqualTo(viaJetty.status());
                assertThat(fast.body()).as(c[0] + " " + c[1]).isEqualTo(viaJetty.body());
                Map<String, String> jettyHeaders = withoutDate(viaJetty.headers());
                if (viaJetty.status() == 304) {
                    jettyHeaders.remove("content-length"); // Jetty adds "0"; a 304 needs none (RFC 9110, 8.6)
                }
                assertThat(withoutDate(fast.headers())).as(c[0] + " " + c[1]).isEqualTo(jettyHeaders);
            }
        }
        assertThat(atJetty.get()).isEqualTo(expectedAtJetty);
        Resp part = exchange(socket(), get(url, "Range: bytes=5-104\r\n"));
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(pdf, 5, 105));
        assertThat(exchange(socket(), get(url, "If-None-Match: \"" + sha + "\"\r\n")).status()).isEqualTo(304);
        assertThat(exchange(socket(), request("HEAD", url, ""), true).headers().get("content-length"))
                .isEqualTo(Integer.toString(pdf.length));
    }

    @Test
    void a_connection_with_other_requests_is_handed_to_jetty_with_its_bytes_order_and_client() throws Exception {
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            // pipelined in one write: a download (front), a page (Jetty), a download (Jetty, the connection is its now)
            out.write((get(Downloads.LATEST, "") + get("/program?x=1", "") + get(Downloads.LATEST, "")
                    + "POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(read(in, false).body()).isEqualTo(pdf);
            Resp page = read(in, false);
            assertThat(new String(page.body(), StandardCharsets.UTF_8))
                    .isEqualTo("page GET /program?x=1 from 127.0.0.1:" + s.getLocalPort());
            assertThat(read(in, false).body()).isEqualTo(pdf);
            assertThat(new String(read(in, false).body(), StandardCharsets.UTF_8)).startsWith("page POST /form from");
            assertThat(atJetty.get()).isEqualTo(3);
        }
        // a request split across writes, in the middle of its request line
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write("GET /a-pa".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(50);
            out.write("ge HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(new String(read(s.getInputStream(), false).body(), StandardCharsets.UTF_8))
                    .startsWith("page GET /a-page from 127.0.0.1:");
        }
    }

    @Test
    void a_client_that_shuts_down_its_side_after_the_request_still_gets_the_whole_answer() throws Exception {
        for (String path : new String[] {Downloads.LATEST, "/a-page"}) {
            try (Socket s = socket()) {
                s.getOutputStream().write(get(path, "").getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                Resp r = read(s.getInputStream(), false);
                assertThat(r.status()).isEqualTo(200);
                if (path.equals(Downloads.LATEST)) {
                    assertThat(r.body()).isEqualTo(pdf);
                } else {
                    assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("page GET /a-page");
                }
                assertThat(s.getInputStream().read()).as("closed after the answer").isEqualTo(-1);
            }
        }
    }

    @Test
    void malformed_requests_get_jettys_answer() throws Exception {
        try (Socket s = socket()) {
            // no Host: HTTP/1.1 requires one, Jetty says 400
            assertThat(exchange(s, "GET " + Downloads.LATEST + " HTTP/1.1\r\n\r\n").status()).isEqualTo(400);
        }
        try (Socket s = socket()) {
            assertThat(exchange(s, "GET " + Downloads.LATEST + " HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n")
                    .status()).isEqualTo(400);
        }
        assertThat(atJetty.get()).isZero(); // answered by Jetty's parser, before any handler
    }

    @Test
    void a_port_in_use_is_refused_with_the_reason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> DownloadFront.start(downloads, "127.0.0.1", taken.getLocalPort(), 1).close())
                    .hasMessageContaining("Address already in use");
        }
    }

    // ---- a minimal HTTP/1.1 client over a socket ----

    record Resp(int status, Map<String, String> headers, byte[] body) {
    }

    static Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", front.port());
        s.setSoTimeout(10_000);
        return s;
    }

    static String get(String path, String headers) {
        return request("GET", path, headers);
    }

    static String request(String method, String path, String headers) {
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n";
    }

    static Resp exchange(Socket s, String request) throws IOException {
        return exchange(s, request, false);
    }

    static Resp exchange(Socket s, String request, boolean head) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return read(s.getInputStream(), head);
    }

    static Resp read(InputStream in, boolean head) throws IOException {
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(), l.substring(colon + 1).trim());
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        int length = head || code == 304 ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Resp(code, headers, in.readNBytes(length));
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed in a response head");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    static Map<String, String> withoutDate(Map<String, String> headers) {
        Map<String, String> m = new LinkedHashMap<>(headers);
        m.remove("date");
        return m;
    }
}
