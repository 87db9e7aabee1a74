package tapipeline.schemas.site;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tapipeline.schemas.support.Checks;

/**
 * The current target of a helpful link (payload of {@code site.links}, keyed by linkId, compacted).
 *
 * @param version        1 for the first target, +1 on every change
 * @param previousTarget the target before this change; {@code null} for version 1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SiteLink(
        String linkId,
        String label,
        String target,
        long version,
        String previousTarget,
        String changedBy,
        Instant changedAt) {

    public SiteLink {
        Checks.id(linkId, "SiteLink.linkId");
        Checks.text(label, "SiteLink.label");
        Checks.text(target, "SiteLink.target");
        Checks.atLeast(version, 1, "SiteLink.version");
        Checks.optionalText(previousTarget, "SiteLink.previousTarget");
        Checks.text(changedBy, "SiteLink.changedBy");
        Checks.nonNull(changedAt, "SiteLink.changedAt");
    }

    /**
     * A term's name in a URL: lower case, letters and digits, runs of anything else as one '-' (the
     * publisher's TA-assignments pages; the coordinator finds a term's link by it).
     */
    public static String termSlug(String term) {
        String s = term.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "-");
        s = s.replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "term" : s;
    }

    /** The public path of a term's TA assignments, the target of the {@code ta-assignments} link. */
    public static String termPath(String term) {
        return "/ta-assignments/" + termSlug(term);
    }

    /** The next version of this link pointing at {@code newTarget}. */
    public SiteLink retarget(String newTarget, String by, Instant at) {
        return new SiteLink(linkId, label, newTarget, version + 1, target, by, at);
    }
}
