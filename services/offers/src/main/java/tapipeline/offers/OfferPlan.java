package tapipeline.offers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.offers.Offer;
import tapipeline.schemas.offers.OfferLine;

/**
 * What an approved plan changes in a term's offers (a pure function of the approval, the term's
 * dataset and the term's current offers): a TA whose courses and hours are those of their live offer
 * keeps it (no new offer, no e-mail); a TA whose assignment changed, or who has no live offer, gets a
 * new offer and their old live one is withdrawn (replaced by the new one); a TA with a live offer who
 * is no longer in the plan has it withdrawn. Offer ids are derived from (term, runId, applicantId), so
 * an approval delivered twice makes nothing twice.
 */
record OfferPlan(List<Offer> made, List<Offer> withdrawn, int unchanged) {

    static OfferPlan of(AssignmentApproved approval, Optional<Dataset> dataset, Collection<Offer> termOffers,
                        Instant now, Duration response) {
        // each TA's lines in this plan, one per course, ordered by course code and section
        Map<String, List<OfferLine>> lines = new TreeMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (AssignmentApproved.ApprovedCourse c : approval.courses()) {
            String duties = dataset.flatMap(d -> d.detailOf(c.courseId())).map(CourseDetail::duties).orElse("");
            for (AssignmentApproved.ApprovedTa ta : c.tas()) {
                lines.computeIfAbsent(ta.applicantId(), k -> new ArrayList<>()).add(new OfferLine(c.courseId(), c.code(),
                        c.title(), c.section(), c.instructor(), ta.hours(), duties));
                names.putIfAbsent(ta.applicantId(), ta.name());
            }
        }
        if (termOffers.stream().anyMatch(o -> o.approvalRunId().equals(approval.runId()))) {
            // this approval was handled before (a redelivery): applying it again to the state that followed it
            // could undo a later approval's offers
            return new OfferPlan(List.of(), List.of(), 0);
        }
        Map<String, Offer> live = new LinkedHashMap<>();
        for (Offer o : termOffers) {
            if (o.status().holds()) {
                live.merge(o.applicantId(), o, (a, b) -> a.createdAt().isAfter(b.createdAt()) ? a : b);
            }
        }
        List<Offer> made = new ArrayList<>();
        List<Offer> withdrawn = new ArrayList<>();
        int unchanged = 0;
        for (Map.Entry<String, List<OfferLine>> e : lines.entrySet()) {
            String applicantId = e.getKey();
            List<OfferLine> mine = e.getValue();
            mine.sort(Comparator.comparing(OfferLine::code).thenComparing(OfferLine::section)
                    .thenComparing(OfferLine::courseId));
            Offer current = live.get(applicantId);
            if (current != null && hours(current.lines()).equals(hours(mine))) {
                unchanged++;
                continue;
            }
            String id = offerId(approval.term(), approval.runId(), applicantId);
            String email = dataset.flatMap(d -> d.emailOf(applicantId)).orElse(null);
            Offer offer = new Offer(id, approval.term(), applicantId, names.get(applicantId), email, approval.runId(),
                    mine, now.plus(response), Offer.Status.QUEUED, now, null, null, null, null, null, null, now);
            made.add(offer);
            if (current != null) {
                withdrawn.add(current.withdrawn(id, now));
            }
        }
        for (Offer current : live.values()) {
            if (!lines.containsKey(current.applicantId())) {
                withdrawn.add(current.withdrawn(null, now));
            }
        }
        return new OfferPlan(List.copyOf(made), List.copyOf(withdrawn), unchanged);
    }

    /** Course → hours: what "the TA's assignment did not change" compares. */
    static Map<String, Integer> hours(List<OfferLine> lines) {
        Map<String, Integer> out = new TreeMap<>();
        lines.forEach(l -> out.merge(l.courseId(), l.hours(), Integer::sum));
        return out;
    }

    /** {@code o-} + 24 hex digits of sha256(term, runId, applicantId): the same approval makes the same ids. */
    static String offerId(String term, String runId, String applicantId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = sha.digest((term + "\n" + runId + "\n" + applicantId).getBytes(StandardCharsets.UTF_8));
            return "o-" + HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
