package tapipeline.publisher.site;

import java.util.Optional;

/**
 * One byte range of a {@code Range: bytes=...} request header (RFC 9110, section 14), resolved
 * against a representation of {@code size} bytes. Only single ranges are served as 206; a header
 * that does not parse, or asks for several ranges, is ignored (the whole representation is sent, as
 * the RFC allows).
 *
 * @param first first byte (inclusive)
 * @param last  last byte (inclusive)
 */
public record ByteRange(long first, long last) {

    /** The result of reading a Range header: no (usable) range, a satisfiable one, or none satisfiable. */
    public sealed interface Parsed {
        record Whole() implements Parsed {
        }

        record Partial(ByteRange range) implements Parsed {
        }

        record Unsatisfiable() implements Parsed {
        }
    }

    public long length() {
        return last - first + 1;
    }

    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    public static Parsed parse(String header, long size) {
        if (header == null) {
            return new Parsed.Whole();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Parsed.Whole();
        }
        String spec = h.substring(6).trim();
        if (spec.isEmpty() || spec.contains(",")) {
            return new Parsed.Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Parsed.Whole();
        }
        Optional<Long> from = number(spec.substring(0, dash).trim());
        Optional<Long> to = number(spec.substring(dash + 1).trim());
        String fromText = spec.substring(0, dash).trim();
        String toText = spec.substring(dash + 1).trim();
        if (fromText.isEmpty()) {
            // suffix range: the last N bytes
            if (to.isEmpty()) {
                return new Parsed.Whole();
            }
            long n = to.get();
            if (n == 0 || size == 0) {
                return new Parsed.Unsatisfiable();
            }
            return new Parsed.Partial(new ByteRange(Math.max(0, size - n), size - 1));
        }
        if (from.isEmpty() || (!toText.isEmpty() && to.isEmpty())) {
            return new Parsed.Whole();
        }
        long first = from.get();
        if (to.isPresent() && to.get() < first) {
            return new Parsed.Whole(); // syntactically invalid: ignored
        }
        if (first >= size) {
            return new Parsed.Unsatisfiable();
        }
        long last = to.map(t -> Math.min(t, size - 1)).orElse(size - 1);
        return new Parsed.Partial(new ByteRange(first, last));
    }

    private static Optional<Long> number(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(s));
    }
}
