package tapipeline.publisher.links;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.kafka.clients.producer.ProducerRecord;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.TransactionalPublisher;
import tapipeline.platform.web.Refused;
import tapipeline.publisher.SiteState;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.site.SiteLink;

/**
 * Link changes people ask for: a rollback of a link to an earlier target (coordinators), and a new
 * target for an external link (Apply, Visit). Each writes the link and its audit entry in one
 * transaction, computed from the registry read to its end ({@link RegistryFence}). Serialized: one
 * change at a time per instance.
 */
public final class LinkCommands {

    public static final int MAX_URL_LENGTH = 2048;
    private static final Duration FENCE_TIMEOUT = Duration.ofSeconds(10);

    private final SiteState state;
    private final RegistryFence fence;
    private final TransactionalPublisher publisher;
    private final Clock clock;

    public LinkCommands(SiteState state, RegistryFence fence, TransactionalPublisher publisher, Clock clock) {
        this.state = state;
        this.fence = fence;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Points a link back at an earlier target: {@code to}, or when empty the link's previous target.
     * An earlier target is the previous one, a verified edition of the site's program (handbook
     * link) or an approved term's page (TA-assignments link).
     */
    public synchronized SiteLink rollback(String linkId, String to, String actor) {
        fence.await(FENCE_TIMEOUT);
        SiteLink link = state.link(linkId).orElseThrow(() -> new Refused(404, "no link " + linkId));
        String target = to == null || to.isBlank() ? link.previousTarget() : to.trim();
        if (target == null) {
            throw new Refused(409, "link " + linkId + " has no earlier target (version " + link.version() + ")");
        }
        if (target.equals(link.target())) {
            throw new Refused(409, "link " + linkId + " already points at " + target);
        }
        if (!target.equals(link.previousTarget()) && !earlierTarget(linkId, target)) {
            throw new Refused(400, "target " + abbreviate(target) + " is not an earlier target of link " + linkId
                    + " (its previous target, a verified handbook edition or an approved term's page)");
        }
        SiteLink next = link.retarget(target, actor, clock.instant());
        publish(next, actor, "rollback", "from " + link.target() + " to " + target + " (version " + next.version()
                + "); asked by " + actor);
        return next;
    }

    /** Gives an external link (not the handbook or TA-assignments link) a new http(s) target. */
    public synchronized SiteLink edit(String linkId, String target, String actor) {
        if (SiteState.HANDBOOK_LINK.equals(linkId) || SiteState.TA_LINK.equals(linkId)) {
            throw new Refused(409, "link " + linkId + " is moved by the publisher; roll it back instead of editing it");
        }
        String url = externalUrl(target);
        fence.await(FENCE_TIMEOUT);
        SiteLink link = state.link(linkId).orElseThrow(() -> new Refused(404, "no link " + linkId));
        if (url.equals(link.target())) {
            return link;
        }
        SiteLink next = link.retarget(url, actor, clock.instant());
        publish(next, actor, "link.edit", "from " + link.target() + " to " + url + " (version " + next.version()
                + "); edited by " + actor);
        return next;
    }

    private boolean earlierTarget(String linkId, String target) {
        Optional<String> program = state.siteProgram();
        if (SiteState.HANDBOOK_LINK.equals(linkId) && program.isPresent()) {
            return state.editions(program.get()).stream()
                    .anyMatch(e -> e.status() == SiteState.Status.VERIFIED && e.url().equals(target));
        }
        if (SiteState.TA_LINK.equals(linkId)) {
            return state.terms().stream().anyMatch(t -> SiteState.termUrl(t).equals(target));
        }
        return false;
    }

    private void publish(SiteLink next, String actor, String action, String detail) {
        List<ProducerRecord<String, byte[]>> records = List.of(
                Events.record(EventTypes.SITE_LINKS, next.linkId(), next),
                LinkFlipper.auditRecord(next.linkId(), actor, action, detail));
        publisher.publish(records);
        // applied now, so this instance's next request sees it even before the replay loop does
        fence.await(FENCE_TIMEOUT);
    }

    /** An absolute http or https URL with a host, at most {@value #MAX_URL_LENGTH} characters. */
    static String externalUrl(String target) {
        if (target == null || target.isBlank()) {
            throw new Refused(400, "target: missing (an absolute http or https URL)");
        }
        String t = target.trim();
        if (t.length() > MAX_URL_LENGTH) {
            throw new Refused(400, "target: " + t.length() + " characters, over the limit of " + MAX_URL_LENGTH);
        }
        try {
            URI uri = new URI(t);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new Refused(400, "target: " + abbreviate(t) + " is not an http or https URL");
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new Refused(400, "target: " + abbreviate(t) + " has no host");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw new Refused(400, "target: not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
