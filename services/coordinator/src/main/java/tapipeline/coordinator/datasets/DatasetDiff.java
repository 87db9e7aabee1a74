package tapipeline.coordinator.datasets;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.coordinator.Dataset;

/**
 * What differs between two datasets of a term, kind by kind: the items added, removed and changed
 * (with each changed field's old and new value). Items are matched by their key: a course or
 * applicant by id, a preference by applicant and course, an instructor request by course and
 * applicant, a pin by course and slot.
 */
public record DatasetDiff(List<Section> sections) {

    /** One kind's changes. */
    public record Section(String kind, List<String> added, List<String> removed, List<Change> changed) {
        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    /** A changed item: its key and the fields that changed. */
    public record Change(String key, List<FieldChange> fields) {
    }

    public record FieldChange(String field, String before, String after) {
    }

    public boolean isEmpty() {
        return sections.stream().allMatch(Section::isEmpty);
    }

    public int count() {
        return sections.stream().mapToInt(s -> s.added().size() + s.removed().size() + s.changed().size()).sum();
    }

    /** The changes from {@code before} to {@code after} (either may be null: an empty dataset). */
    public static DatasetDiff between(Dataset before, Dataset after) {
        List<Section> s = new ArrayList<>();
        s.add(section("courses", list(before, Dataset::courses), list(after, Dataset::courses), Course::id));
        s.add(section("applicants", list(before, Dataset::applicants), list(after, Dataset::applicants), Applicant::id));
        s.add(section("preferences", list(before, Dataset::preferences), list(after, Dataset::preferences),
                p -> p.applicantId() + " → " + p.courseId()));
        s.add(section("instructor requests", list(before, Dataset::instructorPreferences),
                list(after, Dataset::instructorPreferences), ip -> ip.courseId() + " ← " + ip.applicantId()));
        s.add(section("pins", list(before, Dataset::pins), list(after, Dataset::pins),
                p -> p.courseId() + "#" + p.slotIndex()));
        return new DatasetDiff(List.copyOf(s));
    }

    private static <T> List<T> list(Dataset d, Function<Dataset, List<T>> f) {
        return d == null ? List.of() : f.apply(d);
    }

    static <T> Section section(String kind, List<T> before, List<T> after, Function<T, String> key) {
        Map<String, T> old = new LinkedHashMap<>();
        before.forEach(t -> old.put(key.apply(t), t));
        Map<String, T> now = new LinkedHashMap<>();
        after.forEach(t -> now.put(key.apply(t), t));
        List<String> added = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        now.forEach((k, v) -> {
            T o = old.get(k);
            if (o == null) {
                added.add(k);
            } else if (!o.equals(v)) {
                changed.add(new Change(k, fields(o, v)));
            }
        });
        List<String> removed = old.keySet().stream().filter(k -> !now.containsKey(k)).toList();
        return new Section(kind, List.copyOf(added), removed, List.copyOf(changed));
    }

    private static List<FieldChange> fields(Object before, Object after) {
        List<FieldChange> out = new ArrayList<>();
        for (RecordComponent c : before.getClass().getRecordComponents()) {
            try {
                Object b = c.getAccessor().invoke(before);
                Object a = c.getAccessor().invoke(after);
                if (!Objects.equals(a, b)) {
                    out.add(new FieldChange(c.getName(), String.valueOf(b), String.valueOf(a)));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
