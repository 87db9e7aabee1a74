package tapipeline.publisher.changes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import tapipeline.publisher.SiteState;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;

/**
 * What changed from one handbook edition to the next, computed from the events each was rendered
 * from ({@code renderedFrom}: the content event and the approval's run): the sections whose text
 * changed, and the courses and TAs added or removed. A student reads this instead of comparing two
 * PDFs. Content compacted out of {@code handbook.content} is said to be unknown, never guessed.
 */
public final class EditionChanges {

    /** One line of the list: a kind (section, course-added, ta-removed, ...) and its text. */
    public record Change(String kind, String text) {
    }

    private EditionChanges() {
    }

    public static List<Change> between(SiteState state, Optional<HandbookRendered> previous, HandbookRendered current) {
        List<Change> out = new ArrayList<>();
        if (previous.isEmpty()) {
            out.add(new Change("first", "First published edition."));
            return out;
        }
        HandbookRendered prev = previous.get();
        Optional<HandbookContent> before = state.contentByEvent(prev.renderedFrom().contentEventId());
        Optional<HandbookContent> after = state.contentByEvent(current.renderedFrom().contentEventId());
        if (!prev.renderedFrom().contentEventId().equals(current.renderedFrom().contentEventId())) {
            if (before.isEmpty() || after.isEmpty()) {
                out.add(new Change("unknown", "The program text changed; the earlier text is no longer kept, so the"
                        + " sections that changed cannot be listed."));
            } else {
                sections(before.get(), after.get(), out);
            }
        }
        String prevRun = prev.renderedFrom().approvalRunId();
        String curRun = current.renderedFrom().approvalRunId();
        if (!Objects.equals(prevRun, curRun)) {
            Optional<AssignmentApproved> a = prevRun == null ? Optional.empty() : state.approvalByRun(prevRun);
            Optional<AssignmentApproved> b = curRun == null ? Optional.empty() : state.approvalByRun(curRun);
            assignments(a, b, out);
        }
        if (out.isEmpty()) {
            out.add(new Change("none", "No change to the text or the TA assignments (the file was produced again)."));
        }
        return out;
    }

    private static void sections(HandbookContent a, HandbookContent b, List<Change> out) {
        if (!a.name().equals(b.name()) || !a.degree().equals(b.degree()) || !a.campus().equals(b.campus())
                || a.totalUnits() != b.totalUnits() || a.semesters() != b.semesters()) {
            out.add(new Change("section", "Program facts (name, degree, campus, units or length)"));
        }
        if (!a.edition().equals(b.edition())) {
            out.add(new Change("section", "Academic years covered: " + a.edition() + " → " + b.edition()));
        }
        edited("Overview", a.overview(), b.overview(), out);
        edited("Learning outcomes", a.outcomes(), b.outcomes(), out);
        edited("Degree requirements", a.curriculum().requirements(), b.curriculum().requirements(), out);
        edited("Recommended course sequence", a.curriculum().semesters(), b.curriculum().semesters(), out);
        Map<String, String> pa = new LinkedHashMap<>();
        a.policies().forEach(p -> pa.put(p.title(), p.body()));
        Map<String, String> pb = new LinkedHashMap<>();
        b.policies().forEach(p -> pb.put(p.title(), p.body()));
        for (String t : pb.keySet()) {
            if (!pa.containsKey(t)) {
                out.add(new Change("section", "Policy added: " + t));
            } else if (!pa.get(t).equals(pb.get(t))) {
                out.add(new Change("section", "Policy edited: " + t));
            }
        }
        for (String t : pa.keySet()) {
            if (!pb.containsKey(t)) {
                out.add(new Change("section", "Policy removed: " + t));
            }
        }
        edited("Contacts", a.contacts(), b.contacts(), out);
        edited("Helpful links", a.links(), b.links(), out);
    }

    private static void edited(String section, Object a, Object b, List<Change> out) {
        if (!a.equals(b)) {
            out.add(new Change("section", section));
        }
    }

    private static void assignments(Optional<AssignmentApproved> a, Optional<AssignmentApproved> b, List<Change> out) {
        if (b.isEmpty()) {
            out.add(new Change("term", a.isPresent() ? "The TA assignments of " + a.get().term() + " are no longer included."
                    : "The TA assignments are no longer included."));
            return;
        }
        if (a.isEmpty() || !a.get().term().equals(b.get().term())) {
            out.add(new Change("term", "Now lists the TA assignments approved for " + b.get().term()
                    + (a.isPresent() ? " (before: " + a.get().term() + ")" : "") + "."));
            if (a.isEmpty() || !a.get().term().equals(b.get().term())) {
                return;
            }
        }
        Map<String, AssignmentApproved.ApprovedCourse> ca = byCourse(a.get());
        Map<String, AssignmentApproved.ApprovedCourse> cb = byCourse(b.get());
        for (var e : cb.entrySet()) {
            if (!ca.containsKey(e.getKey())) {
                out.add(new Change("course-added", "Course added: " + e.getKey() + " " + e.getValue().title()));
            }
        }
        for (var e : ca.entrySet()) {
            if (!cb.containsKey(e.getKey())) {
                out.add(new Change("course-removed", "Course removed: " + e.getKey() + " " + e.getValue().title()));
            }
        }
        for (var e : cb.entrySet()) {
            AssignmentApproved.ApprovedCourse old = ca.get(e.getKey());
            if (old == null) {
                continue;
            }
            Set<String> before = names(old);
            Set<String> after = names(e.getValue());
            for (String n : after) {
                if (!before.contains(n)) {
                    out.add(new Change("ta-added", "TA added to " + e.getKey() + ": " + n));
                }
            }
            for (String n : before) {
                if (!after.contains(n)) {
                    out.add(new Change("ta-removed", "TA removed from " + e.getKey() + ": " + n));
                }
            }
        }
    }

    private static Map<String, AssignmentApproved.ApprovedCourse> byCourse(AssignmentApproved a) {
        Map<String, AssignmentApproved.ApprovedCourse> m = new LinkedHashMap<>();
        for (AssignmentApproved.ApprovedCourse c : a.courses()) {
            m.put(c.code() + (c.section().isBlank() ? "" : " (section " + c.section() + ")"), c);
        }
        return m;
    }

    private static Set<String> names(AssignmentApproved.ApprovedCourse c) {
        Set<String> s = new LinkedHashSet<>();
        c.tas().forEach(t -> s.add(t.name()));
        return s;
    }
}
