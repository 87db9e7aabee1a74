package tapipeline.publisher.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

import tapipeline.platform.web.Web;
import tapipeline.publisher.SiteState;
import tapipeline.publisher.artifacts.ArtifactSource;
import tapipeline.publisher.artifacts.ArtifactStore;
import tapipeline.publisher.artifacts.Verification;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookContent;

/**
 * Handbook downloads: {@code /handbook/latest.pdf} (the edition the handbook link points at; cached
 * briefly) and {@code /handbook/editions/{sha256}.pdf} (one verified edition; immutable), with
 * {@code HEAD}, {@code ETag} (the sha256) and {@code If-None-Match} (304), single {@code Range}
 * requests (206, 416 when unsatisfiable, {@code If-Range}), a {@code Content-Disposition} whose file
 * name names the program and edition (RFC 6266: an ASCII {@code filename} and a UTF-8
 * {@code filename*}), {@code nosniff} and a restrictive content security policy. Only editions this
 * instance has verified are served; their bytes come from the artifact store, fetched again from
 * {@code handbook.artifacts} (and checked) when the disk lost them.
 *
 * <p>{@link #plan} decides the response without touching a server API; the Javalin routes
 * ({@link #latest}, {@link #edition}) and the Jetty fast path ({@link FastDownloads}) both send it.
 */
public final class Downloads implements AutoCloseable {

    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    public static final String SHORT = "public, max-age=60, must-revalidate";
    public static final String PDF_CSP = "default-src 'none'; frame-ancestors 'self'";
    public static final String LATEST = "/handbook/latest.pdf";
    public static final String EDITIONS = "/handbook/editions/";

    /** X-Frame-Options of a PDF: framing by the site itself only, as the PDF's CSP {@code frame-ancestors 'self'}. */
    public static final String FRAME_OPTIONS = "SAMEORIGIN";

    // headers that are the same on every download, encoded once (no header-name lookup or value check per request)
    private static final HttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
    private static final HttpField CSP = new PreEncodedHttpField("Content-Security-Policy", PDF_CSP);
    private static final HttpField REFERRER = new PreEncodedHttpField("Referrer-Policy", Web.REFERRER_POLICY);
    private static final HttpField PERMISSIONS = new PreEncodedHttpField("Permissions-Policy", Web.PERMISSIONS_POLICY);
    private static final HttpField FRAMES = new PreEncodedHttpField("X-Frame-Options", FRAME_OPTIONS);
    private static final HttpField RANGES = new PreEncodedHttpField(HttpHeader.ACCEPT_RANGES, "bytes");
    private static final HttpField PDF_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, HandbookArtifact.PDF);
    private static final HttpField CACHE_IMMUTABLE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, IMMUTABLE);
    private static final HttpField CACHE_SHORT = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, SHORT);
    private static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");

    /**
     * A response: status, headers, and the body (a read-only slice of the edition's direct buffer, or
     * a short text), or nothing to send for HEAD and 304. For the whole file (a plain 200 GET) also the
     * edition's stored file, open (null when it is not on disk; {@link DownloadFront} sends it with
     * sendfile), and the headers as HTTP/1.1 header lines, encoded once per edition and URL kind.
     */
    public record Plan(int status, List<HttpField> headers, ByteBuffer body, String text, FileChannel file,
                       byte[] headerLines) {
        Plan(int status, List<HttpField> headers, ByteBuffer body, String text) {
            this(status, headers, body, text, null, null);
        }

        boolean found() {
            return status != 404 && status != 503;
        }
    }

    /**
     * A verified edition ready to send: a direct buffer, its header fields, and the whole 200 response's
     * headers for each URL kind, built once (a verified edition stays so; the headers are immutable).
     */
    private record Served(ByteBuffer buffer, int size, String etag, HttpField etagField, HttpField disposition,
                          List<HttpField> wholeLatest, List<HttpField> wholeEdition, FileChannel file,
                          byte[] latestLines, byte[] editionLines) {
        static Served of(ByteBuffer buffer, int size, String etag, String disposition, FileChannel file) {
            HttpField tag = new PreEncodedHttpField(HttpHeader.ETAG, etag);
            HttpField disp = new PreEncodedHttpField(HttpHeader.CONTENT_DISPOSITION, disposition);
            HttpField length = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(size));
            List<HttpField> latest = List.of(tag, CACHE_SHORT, NOSNIFF, CSP, REFERRER, PERMISSIONS, FRAMES, RANGES, disp,
                    PDF_TYPE, length);
            List<HttpField> edition = List.of(tag, CACHE_IMMUTABLE, NOSNIFF, CSP, REFERRER, PERMISSIONS, FRAMES, RANGES, disp,
                    PDF_TYPE, length);
            return new Served(buffer, size, etag, tag, disp, latest, edition, file, headerLines(latest), headerLines(edition));
        }
    }

    /** Header fields as HTTP/1.1 header lines ({@code Name: value CRLF} each; values are ASCII). */
    static byte[] headerLines(List<HttpField> fields) {
        StringBuilder sb = new StringBuilder(512);
        for (HttpField f : fields) {
            sb.append(f.getName()).append(": ").append(f.getValue()).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private final SiteState state;
    private final ArtifactStore store;
    private final ArtifactSource source;
    private final Map<String, Served> served = new ConcurrentHashMap<>();
    /** The edition the handbook link shows, cached until the state changes: (state version, sha256 or ""). */
    private volatile Object[] latest = {-1L, ""};

    public Downloads(SiteState state, ArtifactStore store, ArtifactSource source) {
        this.state = state;
        this.store = store;
        this.source = source;
    }

    /** GET and HEAD of /handbook/latest.pdf (Javalin). */
    public void latest(Context ctx) {
        send(ctx, plan(ctx.method().name(), LATEST, ctx::header));
    }

    /** GET and HEAD of /handbook/editions/{file} (Javalin). */
    public void edition(Context ctx) {
        send(ctx, plan(ctx.method().name(), EDITIONS + ctx.pathParam("file"), ctx::header));
    }

    /**
     * The response to a GET or HEAD of a download path, or empty when the path is not a download.
     *
     * @param header the request's header by name (null when absent)
     */
    public Optional<Plan> planFor(String method, String path, UnaryOperator<String> header) {
        if (!path.equals(LATEST) && !path.startsWith(EDITIONS)) {
            return Optional.empty();
        }
        return Optional.of(plan(method, path, header));
    }

    Plan plan(String method, String path, UnaryOperator<String> header) {
        String sha;
        String cacheControl;
        if (path.equals(LATEST)) {
            sha = latestSha();
            cacheControl = SHORT;
            if (sha.isEmpty()) {
                return text(404, "No verified handbook edition has been published yet.");
            }
        } else {
            String file = path.substring(EDITIONS.length());
            if (!file.endsWith(".pdf") || !ArtifactStore.isSha256(file.substring(0, file.length() - 4))) {
                return text(404, "No such handbook edition.");
            }
            sha = file.substring(0, file.length() - 4);
            cacheControl = IMMUTABLE;
        }
        Served s = served.get(sha);
        if (s == null) {
            Optional<SiteState.Edition> edition = state.editionBySha(sha)
                    .filter(e -> e.status() == SiteState.Status.VERIFIED);
            if (edition.isEmpty()) {
                return text(404, "No such handbook edition.");
            }
            Optional<byte[]> bytes = bytes(edition.get());
            if (bytes.isEmpty()) {
                Plan p = text(503, "The handbook file is being fetched again; try in a few seconds.");
                p.headers().add(new HttpField(HttpHeader.RETRY_AFTER, "5"));
                return p;
            }
            ByteBuffer b = ByteBuffer.allocateDirect(bytes.get().length);
            b.put(bytes.get()).flip();
            s = Served.of(b.asReadOnlyBuffer(), bytes.get().length, "\"" + sha + "\"",
                    contentDisposition(fileName(edition.get())), store.open(sha, bytes.get()).orElse(null));
            Served raced = served.putIfAbsent(sha, s);
            if (raced != null) {
                closeFile(s);
                s = raced;
            }
        }
        String ifNoneMatch = header.apply("If-None-Match");
        String rangeHeader = header.apply("Range");
        boolean head = "HEAD".equalsIgnoreCase(method);
        if (ifNoneMatch == null && rangeHeader == null && !head) {
            // the common download: the whole file, every header prepared when the edition was first served
            boolean immutable = IMMUTABLE.equals(cacheControl);
            return new Plan(200, immutable ? s.wholeEdition() : s.wholeLatest(), s.buffer().duplicate(), null, s.file(),
                    immutable ? s.editionLines() : s.latestLines());
        }
        List<HttpField> h = new ArrayList<>(12);
        h.add(s.etagField());
        h.add(IMMUTABLE.equals(cacheControl) ? CACHE_IMMUTABLE : CACHE_SHORT);
        h.add(NOSNIFF);
        h.add(CSP);
        h.add(REFERRER);
        h.add(PERMISSIONS);
        h.add(FRAMES);
        h.add(RANGES);
        if (matches(ifNoneMatch, s.etag())) {
            return new Plan(304, h, null, null);
        }
        h.add(s.disposition());
        ByteRange.Parsed range = ByteRange.parse(rangeHeader, s.size());
        String ifRange = header.apply("If-Range");
        if (ifRange != null && !ifRange.trim().equals(s.etag())) {
            range = new ByteRange.Parsed.Whole();
        }
        if (range instanceof ByteRange.Parsed.Unsatisfiable) {
            h.add(new HttpField(HttpHeader.CONTENT_RANGE, "bytes */" + s.size()));
            h.add(new HttpField(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8"));
            h.add(HttpFields.CONTENT_LENGTH_0);
            return new Plan(416, h, null, null);
        }
        h.add(PDF_TYPE);
        if (range instanceof ByteRange.Parsed.Partial p) {
            ByteRange r = p.range();
            h.add(new HttpField(HttpHeader.CONTENT_RANGE, r.contentRange(s.size())));
            h.add(new HttpField(HttpHeader.CONTENT_LENGTH, Long.toString(r.length())));
            return new Plan(206, h, head ? null : slice(s.buffer(), (int) r.first(), (int) r.length()), null);
        }
        h.add(new HttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(s.size())));
        return new Plan(200, h, head ? null : s.buffer().duplicate(), null);
    }

    /** Closes the editions' open files. */
    @Override
    public void close() {
        served.values().forEach(Downloads::closeFile);
    }

    private static void closeFile(Served s) {
        if (s.file() != null) {
            try {
                s.file().close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    private String latestSha() {
        Object[] cached = latest;
        long version = state.version();
        if ((long) cached[0] == version) {
            return (String) cached[1];
        }
        String sha = state.link(SiteState.HANDBOOK_LINK).map(state::shownTarget)
                .filter(t -> t.startsWith(EDITIONS) && t.endsWith(".pdf"))
                .map(t -> t.substring(EDITIONS.length(), t.length() - 4))
                .filter(ArtifactStore::isSha256).orElse("");
        latest = new Object[] {version, sha};
        return sha;
    }

    private static ByteBuffer slice(ByteBuffer all, int offset, int length) {
        return all.duplicate().position(offset).limit(offset + length).slice();
    }

    private static Plan text(int status, String message) {
        List<HttpField> h = new ArrayList<>();
        h.add(NOSNIFF);
        h.add(NO_STORE);
        return new Plan(status, h, null, message);
    }

    /**
     * Sends a plan through Javalin: the body straight from the read-only direct buffer (Jetty's
     * {@code sendContent}: no copy into the response buffer, no garbage per request).
     */
    private static void send(Context ctx, Plan p) {
        ctx.disableCompression();
        ctx.status(p.status());
        for (HttpField e : p.headers()) {
            if (e.getHeader() == HttpHeader.CONTENT_TYPE) {
                ctx.contentType(e.getValue());
            } else {
                ctx.header(e.getName(), e.getValue());
            }
        }
        if (p.text() != null) {
            ctx.contentType("text/plain; charset=utf-8").result(p.text());
            return;
        }
        if (p.body() == null) {
            return;
        }
        try {
            ServletOutputStream out = ctx.res().getOutputStream();
            if (out instanceof HttpOutput jetty) {
                jetty.sendContent(p.body().duplicate());
            } else {
                ByteBuffer b = p.body().duplicate();
                byte[] copy = new byte[b.remaining()];
                b.get(copy);
                out.write(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("client went away during a handbook download", e);
        }
    }

    /** The bytes of a verified edition, from the store or fetched again from the topic (checked). */
    private Optional<byte[]> bytes(SiteState.Edition e) {
        Optional<byte[]> local = store.get(e.sha256());
        if (local.isPresent()) {
            return local;
        }
        ArtifactSource.Fetched f = source.fetch(e.sha256(), e.recordTimestamp());
        if (f instanceof ArtifactSource.Fetched.Found found
                && Verification.of(e.rendered(), found.artifact()).ok()) {
            store.put(e.sha256(), found.artifact().bytes());
            return store.get(e.sha256());
        }
        return Optional.empty();
    }

    /** If-None-Match: "*" or a list of entity tags, compared weakly (RFC 9110, 13.1.2). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** "Program name – handbook 2026-2027.pdf". */
    String fileName(SiteState.Edition e) {
        String program = state.content(e.rendered().programId()).map(HandbookContent::name)
                .orElse(e.rendered().programId());
        return program + " – handbook " + e.rendered().edition() + ".pdf";
    }

    /**
     * {@code inline; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>} (RFC 6266, RFC 8187):
     * old clients read the ASCII name (accents dropped, anything else that is not a safe character as
     * '_'), current ones the exact name.
     */
    public static String contentDisposition(String name) {
        return "inline; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''" + rfc8187(name);
    }

    static String asciiFallback(String name) {
        String stripped = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        StringBuilder sb = new StringBuilder();
        for (char c : stripped.toCharArray()) {
            if (c == '–' || c == '—') {
                sb.append('-');
            } else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' && c != ';') {
                sb.append(c);
            } else {
                sb.append('_');
            }
        }
        return sb.toString();
    }

    static String rfc8187(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
