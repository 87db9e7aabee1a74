package tapipeline.publisher;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import tapipeline.publisher.artifacts.Verification;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/**
 * What one publisher instance knows, replayed from the log: every program's content (and each
 * content event still in the log, for "what changed"), every rendered edition with this instance's
 * verdict on it, every approval, and the links registry ({@code site.links}) with the offsets it has
 * applied. Thread-safe (one lock: the state is small and reads are short).
 */
public final class SiteState {

    /** The link the publisher moves to each verified handbook edition. */
    public static final String HANDBOOK_LINK = "handbook";
    /** The link the publisher moves to the latest approved term's TA-assignments page. */
    public static final String TA_LINK = "ta-assignments";

    /** Where an edition stands on this instance. */
    public enum Status { PENDING, VERIFIED, REFUSED }

    /** A rendered edition of a program: the event, when it was written, and its verdict here. */
    public record Edition(HandbookRendered rendered, UUID eventId, Instant writtenAt, long recordTimestamp,
                          Status status, String reason) {
        public String sha256() {
            return rendered.sha256();
        }

        public String url() {
            return editionUrl(rendered.sha256());
        }

        Edition with(Status s, String why) {
            return new Edition(rendered, eventId, writtenAt, recordTimestamp, s, why);
        }
    }

    private final String configuredProgram;
    /** +1 on every change, so hot read paths can cache what they derived (read without the lock). */
    private volatile long changes;
    private final Map<String, Envelope<HandbookContent>> contents = new TreeMap<>();
    private final Map<UUID, HandbookContent> contentHistory = new HashMap<>();
    private final Map<String, List<Edition>> editions = new HashMap<>();
    private final Map<String, List<AssignmentApproved>> approvalsByTerm = new TreeMap<>();
    private final Map<String, AssignmentApproved> approvalsByRun = new HashMap<>();
    private final Map<String, SiteLink> links = new LinkedHashMap<>();
    /** The offset in site.links of each link's record (a link id always hashes to one partition). */
    private final Map<String, Long> linkOffsets = new HashMap<>();

    /** @param configuredProgram SITE_PROGRAM; empty: the only program (or the first by id) */
    public SiteState(String configuredProgram) {
        this.configuredProgram = configuredProgram == null ? "" : configuredProgram.trim();
    }

    public static String editionUrl(String sha256) {
        return "/handbook/editions/" + sha256 + ".pdf";
    }

    public static String termUrl(String term) {
        return tapipeline.schemas.site.SiteLink.termPath(term);
    }

    /** A term's name in a URL: lower case, letters and digits, runs of anything else as one '-'. */
    public static String slug(String term) {
        return tapipeline.schemas.site.SiteLink.termSlug(term);
    }

    // ---- updates (replay loop and flipper) ----

    public synchronized void onContent(Envelope<HandbookContent> e) {
        changes++;
        contents.put(e.payload().programId(), e);
        contentHistory.put(e.eventId(), e.payload());
    }

    /** Adds an edition (first appearance of its sha256 for the program); returns it. */
    public synchronized Edition onRendered(HandbookRendered r, UUID eventId, Instant writtenAt, long recordTimestamp) {
        changes++;
        List<Edition> list = editions.computeIfAbsent(r.programId(), p -> new ArrayList<>());
        for (Edition e : list) {
            if (e.sha256().equals(r.sha256())) {
                return e;
            }
        }
        Edition e = new Edition(r, eventId, writtenAt, recordTimestamp, Status.PENDING, "not checked yet");
        list.add(e);
        return e;
    }

    public synchronized void verdict(String programId, String sha256, Verification v) {
        changes++;
        List<Edition> list = editions.get(programId);
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).sha256().equals(sha256)) {
                list.set(i, list.get(i).with(v.ok() ? Status.VERIFIED : Status.REFUSED, v.reason()));
            }
        }
    }

    public synchronized void onApproved(AssignmentApproved a) {
        changes++;
        if (approvalsByRun.containsKey(a.runId()) && approvalsByRun.get(a.runId()).equals(a)) {
            return;
        }
        approvalsByRun.put(a.runId(), a);
        List<AssignmentApproved> list = approvalsByTerm.computeIfAbsent(a.term(), t -> new ArrayList<>());
        list.removeIf(x -> x.runId().equals(a.runId()) && x.approvedAt().equals(a.approvedAt()));
        list.add(a);
        list.sort(Comparator.comparing(AssignmentApproved::approvedAt));
    }

    /**
     * Applies a site.links record unless a later record of the same link was applied already (the
     * replay loop and the {@link tapipeline.publisher.links.RegistryFence} both read the topic).
     */
    public synchronized void onLink(SiteLink link, int partition, long offset) {
        changes++;
        Long seen = linkOffsets.get(link.linkId());
        if (seen != null && seen >= offset) {
            return;
        }
        linkOffsets.put(link.linkId(), offset);
        links.put(link.linkId(), link);
    }

    // ---- reads ----

    /** A number that changes whenever the state does. */
    public long version() {
        return changes;
    }

    /** The program this site is about, once its content is known. */
    public synchronized Optional<String> siteProgram() {
        if (!configuredProgram.isEmpty()) {
            return Optional.of(configuredProgram);
        }
        if (!contents.isEmpty()) {
            return Optional.of(contents.keySet().iterator().next());
        }
        return editions.keySet().stream().sorted().findFirst();
    }

    public synchronized Optional<HandbookContent> content(String programId) {
        return Optional.ofNullable(contents.get(programId)).map(Envelope::payload);
    }

    public synchronized Optional<HandbookContent> contentByEvent(UUID eventId) {
        return Optional.ofNullable(contentHistory.get(eventId));
    }

    public synchronized List<Edition> editions(String programId) {
        return List.copyOf(editions.getOrDefault(programId, List.of()));
    }

    public synchronized Optional<Edition> edition(String programId, String sha256) {
        return editions.getOrDefault(programId, List.of()).stream().filter(e -> e.sha256().equals(sha256)).findFirst();
    }

    /** The edition of any program with this sha256. */
    public synchronized Optional<Edition> editionBySha(String sha256) {
        return editions.values().stream().flatMap(List::stream).filter(e -> e.sha256().equals(sha256)).findFirst();
    }

    public synchronized Optional<SiteLink> link(String linkId) {
        return Optional.ofNullable(links.get(linkId));
    }

    public synchronized List<SiteLink> links() {
        return List.copyOf(links.values());
    }

    /** Terms with an approval, in name order. */
    public synchronized List<String> terms() {
        return List.copyOf(approvalsByTerm.keySet());
    }

    /** The latest approval of a term (by approvedAt). */
    public synchronized Optional<AssignmentApproved> approval(String term) {
        List<AssignmentApproved> list = approvalsByTerm.get(term);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    public synchronized Optional<AssignmentApproved> approvalByRun(String runId) {
        return Optional.ofNullable(approvalsByRun.get(runId));
    }

    /** The term whose URL slug this is. */
    public synchronized Optional<String> termBySlug(String slug) {
        return approvalsByTerm.keySet().stream().filter(t -> slug(t).equals(slug)).findFirst();
    }

    /** The approval approved last of every term. */
    public synchronized Optional<AssignmentApproved> latestApproval() {
        return approvalsByTerm.values().stream().map(l -> l.get(l.size() - 1))
                .max(Comparator.comparing(AssignmentApproved::approvedAt));
    }

    /**
     * Whether this instance can serve a site-relative target now (an edition it has verified, a term
     * it knows); absolute URLs and other paths are served by someone else or always.
     */
    public synchronized boolean servable(String target) {
        if (target.startsWith("/handbook/editions/")) {
            String sha = target.substring("/handbook/editions/".length()).replace(".pdf", "");
            return editions.values().stream().flatMap(List::stream)
                    .anyMatch(e -> e.sha256().equals(sha) && e.status() == Status.VERIFIED);
        }
        if (target.startsWith("/ta-assignments/")) {
            String slug = target.substring("/ta-assignments/".length());
            return approvalsByTerm.keySet().stream().anyMatch(t -> slug(t).equals(slug));
        }
        return true;
    }

    /** The target to show for a link: its target, or its previous one while this instance cannot serve the new one yet. */
    public synchronized String shownTarget(SiteLink link) {
        if (servable(link.target()) || link.previousTarget() == null || !servable(link.previousTarget())) {
            return link.target();
        }
        return link.previousTarget();
    }
}
