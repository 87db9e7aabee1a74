package tapipeline.coordinator.runs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.offers.Offer;
import tapipeline.schemas.offers.OfferLine;

/**
 * What a minimal-change re-solve after declined or expired offers keeps and frees: the approved plan
 * is the previous assignment (the solver pays for each slot it changes); every TA whose current offer
 * is accepted or still pending is pinned to the slots the plan gave them (a TA with no offer yet
 * holds theirs too); a TA who declined is banned from the declined courses and one whose offer
 * expired from every course, so the freed slots go to someone else. Nothing else is pinned by
 * offers, so only freed and empty slots may change (and the dataset's own pins stay where they do
 * not clash).
 *
 * <p>Pure: built from the approval, the term's offers and its dataset; unit-tested without Kafka.
 *
 * @param previous   the approved plan as slots (a course's TAs in the approval's order take slots 0, 1, ...)
 * @param pins       offers held (pending or accepted) and the dataset's pins that do not clash
 * @param bans       declined courses and, for an expired offer, every course
 * @param freedBy    the declined or expired offers whose TA still sits in the approved plan
 * @param freedSlots how many slots of the plan those TAs held
 */
public record ProposalPlan(String term, String approvedRunId, List<SlotAssignment> previous, List<Pin> pins,
                           List<InstructorPreference> bans, List<String> freedBy, int freedSlots) {

    /** Nothing to propose: no TA of the approved plan has a declined or expired offer. */
    public boolean empty() {
        return freedBy.isEmpty();
    }

    /**
     * The plan for {@code approval} (the term's latest) given every offer of the term and the term's
     * dataset. For each TA the offer that counts is the newest not withdrawn one.
     */
    public static ProposalPlan of(AssignmentApproved approval, Collection<Offer> termOffers, Dataset dataset) {
        List<SlotAssignment> previous = new ArrayList<>();
        Map<String, List<SlotAssignment>> slotsOf = new LinkedHashMap<>();
        for (AssignmentApproved.ApprovedCourse c : approval.courses()) {
            int i = 0;
            for (AssignmentApproved.ApprovedTa ta : c.tas()) {
                SlotAssignment s = new SlotAssignment(c.courseId(), i++, ta.applicantId());
                previous.add(s);
                slotsOf.computeIfAbsent(ta.applicantId(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<String, Offer> current = new HashMap<>();
        for (Offer o : termOffers) {
            if (!o.term().equals(approval.term()) || o.status() == Offer.Status.WITHDRAWN) {
                continue;
            }
            current.merge(o.applicantId(), o, (a, b) -> newer(a, b));
        }
        List<Pin> pins = new ArrayList<>();
        Set<String> pinnedSlots = new HashSet<>();
        Set<String> bans = new LinkedHashSet<>();
        List<String> freedBy = new ArrayList<>();
        int freedSlots = 0;
        for (Map.Entry<String, List<SlotAssignment>> e : slotsOf.entrySet()) {
            String applicant = e.getKey();
            Offer offer = current.get(applicant);
            if (offer != null && offer.status().freed()) {
                freedBy.add(offer.offerId());
                freedSlots += e.getValue().size();
                banFrom(offer, dataset, bans);
                continue;
            }
            // accepted, pending, or no offer yet: the TA keeps the plan's slots
            for (SlotAssignment s : e.getValue()) {
                if (offer == null || offer.lines().stream().map(OfferLine::courseId).anyMatch(s.courseId()::equals)) {
                    pins.add(new Pin(s.courseId(), s.slotIndex(), applicant));
                    pinnedSlots.add(s.courseId() + " " + s.slotIndex());
                }
            }
        }
        // a TA freed from the plan stays banned from those courses in later proposals of this approval
        for (Offer o : current.values()) {
            if (o.status().freed() && !slotsOf.containsKey(o.applicantId())) {
                banFrom(o, dataset, bans);
            }
        }
        for (Pin p : dataset.pins()) {
            boolean clashes = pinnedSlots.contains(p.courseId() + " " + p.slotIndex())
                    || bans.contains(p.courseId() + " " + p.applicantId())
                    || pins.stream().anyMatch(q -> q.courseId().equals(p.courseId()) && q.applicantId().equals(p.applicantId()));
            if (!clashes) {
                pins.add(p);
            }
        }
        List<InstructorPreference> banList = bans.stream().map(b -> {
            int space = b.indexOf(' ');
            return InstructorPreference.ban(b.substring(0, space), b.substring(space + 1));
        }).toList();
        freedBy.sort(Comparator.naturalOrder());
        return new ProposalPlan(approval.term(), approval.runId(), List.copyOf(previous), List.copyOf(pins), banList,
                List.copyOf(freedBy), freedSlots);
    }

    /** A decline bans the TA from the declined courses; an expired offer (no answer at all) from every course. */
    private static void banFrom(Offer offer, Dataset dataset, Set<String> bans) {
        if (offer.status() == Offer.Status.EXPIRED) {
            dataset.courses().forEach(c -> bans.add(c.id() + " " + offer.applicantId()));
        } else {
            offer.lines().forEach(l -> bans.add(l.courseId() + " " + offer.applicantId()));
        }
    }

    private static Offer newer(Offer a, Offer b) {
        return b.createdAt().isAfter(a.createdAt()) ? b : a;
    }

    /** The dataset's instructor preferences with the plan's bans added (a REQUEST for a banned pair is dropped). */
    public List<InstructorPreference> instructorPreferences(Dataset dataset) {
        Set<String> banned = new HashSet<>();
        bans.forEach(b -> banned.add(b.courseId() + " " + b.applicantId()));
        List<InstructorPreference> out = new ArrayList<>();
        for (InstructorPreference p : dataset.instructorPreferences()) {
            if (!banned.contains(p.courseId() + " " + p.applicantId())) {
                out.add(p);
            }
        }
        out.addAll(bans);
        return out;
    }
}
