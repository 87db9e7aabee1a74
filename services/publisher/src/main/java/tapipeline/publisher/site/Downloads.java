package tapipeline.publisher.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.text.Normalizer;
import java.util.Optional;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import jakarta.servlet.ServletOutputStream;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

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
 */
public final class Downloads {

    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    public static final String SHORT = "public, max-age=60, must-revalidate";
    public static final String PDF_CSP = "default-src 'none'; frame-ancestors 'self'";

    private final SiteState state;
    private final ArtifactStore store;
    private final ArtifactSource source;
    /** Direct buffers of the editions served, by sha256 (a few hundred kB each, a handful of editions). */
    private final Map<String, ByteBuffer> buffers = new ConcurrentHashMap<>();

    public Downloads(SiteState state, ArtifactStore store, ArtifactSource source) {
        this.state = state;
        this.store = store;
        this.source = source;
    }

    /** GET and HEAD of /handbook/latest.pdf. */
    public void latest(Context ctx) {
        Optional<String> sha = state.link(SiteState.HANDBOOK_LINK).map(state::shownTarget)
                .filter(t -> t.startsWith("/handbook/editions/") && t.endsWith(".pdf"))
                .map(t -> t.substring("/handbook/editions/".length(), t.length() - 4));
        if (sha.isEmpty() || !ArtifactStore.isSha256(sha.get())) {
            notFound(ctx, "No verified handbook edition has been published yet.");
            return;
        }
        serve(ctx, sha.get(), SHORT);
    }

    /** GET and HEAD of /handbook/editions/{file}. */
    public void edition(Context ctx) {
        String file = ctx.pathParam("file");
        if (!file.endsWith(".pdf") || !ArtifactStore.isSha256(file.substring(0, file.length() - 4))) {
            notFound(ctx, "No such handbook edition.");
            return;
        }
        serve(ctx, file.substring(0, file.length() - 4), IMMUTABLE);
    }

    private void serve(Context ctx, String sha, String cacheControl) {
        Optional<SiteState.Edition> edition = state.editionBySha(sha)
                .filter(e -> e.status() == SiteState.Status.VERIFIED);
        if (edition.isEmpty()) {
            notFound(ctx, "No such handbook edition.");
            return;
        }
        Optional<byte[]> bytes = bytes(edition.get());
        if (bytes.isEmpty()) {
            ctx.status(503).header("Retry-After", "5").contentType("text/plain; charset=utf-8")
                    .result("The handbook file is being fetched again; try in a few seconds.");
            return;
        }
        byte[] pdf = bytes.get();
        String etag = "\"" + sha + "\"";
        ctx.disableCompression();
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", cacheControl);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", PDF_CSP);
        ctx.header("Accept-Ranges", "bytes");
        if (matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        ctx.header("Content-Disposition", contentDisposition(fileName(edition.get())));
        ctx.contentType(HandbookArtifact.PDF);
        ByteRange.Parsed range = ByteRange.parse(ctx.header("Range"), pdf.length);
        String ifRange = ctx.header("If-Range");
        if (ifRange != null && !ifRange.trim().equals(etag)) {
            range = new ByteRange.Parsed.Whole();
        }
        boolean head = ctx.method() == HandlerType.HEAD;
        if (range instanceof ByteRange.Parsed.Unsatisfiable) {
            ctx.status(416).header("Content-Range", "bytes */" + pdf.length);
            ctx.contentType("text/plain; charset=utf-8");
            ctx.result("");
            return;
        }
        if (range instanceof ByteRange.Parsed.Partial p) {
            ByteRange r = p.range();
            ctx.status(206).header("Content-Range", r.contentRange(pdf.length));
            ctx.header("Content-Length", Long.toString(r.length()));
            if (!head) {
                send(ctx, sha, pdf, (int) r.first(), (int) r.length());
            }
            return;
        }
        ctx.header("Content-Length", Integer.toString(pdf.length));
        if (!head) {
            send(ctx, sha, pdf, 0, pdf.length);
        }
    }

    /**
     * Writes the bytes straight from a read-only direct buffer (Jetty's {@code sendContent}: no copy
     * into the response buffer, no garbage per request); other servlet containers get a plain write.
     */
    private void send(Context ctx, String sha, byte[] pdf, int offset, int length) {
        try {
            ServletOutputStream out = ctx.res().getOutputStream();
            if (out instanceof HttpOutput jetty) {
                ByteBuffer all = buffers.computeIfAbsent(sha, k -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(pdf.length);
                    b.put(pdf).flip();
                    return b.asReadOnlyBuffer();
                });
                jetty.sendContent(all.duplicate().position(offset).limit(offset + length).slice());
            } else {
                out.write(pdf, offset, length);
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

    private static void notFound(Context ctx, String message) {
        ctx.status(404).header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-store")
                .contentType("text/plain; charset=utf-8").result(message);
    }
}
