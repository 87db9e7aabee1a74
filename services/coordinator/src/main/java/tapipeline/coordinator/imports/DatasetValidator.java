package tapipeline.coordinator.imports;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.ConflictOfInterest;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;

/**
 * The checks across items and files: duplicate ids and rows, references to courses and applicants
 * that do not exist (with a hint when a name or a course code stands where the id belongs), a skill
 * spelt two ways, pins the data no longer allows; and the likely mistakes shown in the preview
 * (near-duplicate applicants). Every problem names the file, line and column of the item at fault.
 */
public final class DatasetValidator {

    private DatasetValidator() {
    }

    public static List<Problem> check(Draft d) {
        return check(d, List.of());
    }

    /** Checks a draft, and judges the references with spaces met while reading its files. */
    public static List<Problem> check(Draft d, List<CsvRows.BadId> badIds) {
        return check(d, badIds, java.util.Set.of());
    }

    /**
     * @param brokenIds ids of rows left out for their own problems ({@code course:c3}, {@code applicant:a9}):
     *                  references to them are not reported again
     */
    public static List<Problem> check(Draft d, List<CsvRows.BadId> badIds, Set<String> brokenIds) {
        List<Problem> out = new ArrayList<>();
        Map<String, Located<Course>> courses = unique(d.courses(), Course::id, "course", out);
        Map<String, Located<Applicant>> applicants = unique(d.applicants(), Applicant::id, "applicant", out);
        Map<String, List<String>> courseByCode = new HashMap<>();
        courses.values().forEach(c -> courseByCode.computeIfAbsent(norm(c.value().code()), k -> new ArrayList<>()).add(c.value().id()));
        Map<String, List<String>> applicantByName = new HashMap<>();
        applicants.values().forEach(a -> applicantByName.computeIfAbsent(norm(a.value().name()), k -> new ArrayList<>()).add(a.value().id()));
        Set<String> courseIds = new HashSet<>(courses.keySet());
        Set<String> applicantIds = new HashSet<>(applicants.keySet());
        for (String b : brokenIds) {
            if (b.startsWith("course:")) {
                courseIds.add(b.substring(7));
            } else if (b.startsWith("applicant:")) {
                applicantIds.add(b.substring(10));
            }
        }
        Refs refs = new Refs(courseIds, applicantIds, courseByCode, applicantByName);
        for (CsvRows.BadId b : badIds) {
            if (b.applicant()) {
                refs.applicant(b.where(), b.field(), b.value(), out);
            } else {
                refs.course(b.where(), b.field(), b.value(), out);
            }
        }

        Set<String> seen = new HashSet<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (Located<Preference> p : d.preferences()) {
            refs.applicant(p.where(), "applicantId", p.value().applicantId(), out);
            refs.course(p.where(), "courseId", p.value().courseId(), out);
            String key = p.value().applicantId() + "\u0000" + p.value().courseId();
            if (!seen.add(key)) {
                out.add(p.where().error(Problem.Code.DUPLICATE_ROW, "courseId", "applicant " + p.value().applicantId()
                        + " already rated course " + p.value().courseId() + at(firstLine.get(key))));
            } else {
                firstLine.put(key, p.where().line());
            }
        }
        seen.clear();
        firstLine.clear();
        for (Located<InstructorPreference> ip : d.instructorPreferences()) {
            refs.course(ip.where(), "courseId", ip.value().courseId(), out);
            refs.applicant(ip.where(), "applicantId", ip.value().applicantId(), out);
            String key = ip.value().courseId() + "\u0000" + ip.value().applicantId();
            if (!seen.add(key)) {
                out.add(ip.where().error(Problem.Code.DUPLICATE_ROW, "applicantId", "course " + ip.value().courseId()
                        + " already has a request or ban for applicant " + ip.value().applicantId() + at(firstLine.get(key))));
            } else {
                firstLine.put(key, ip.where().line());
            }
        }
        for (Located<Applicant> a : applicants.values()) {
            for (ConflictOfInterest c : a.value().conflicts()) {
                refs.course(a.where(), "conflicts", c.courseId(), out);
            }
        }
        for (Located<Pin> pin : d.pins()) {
            Located<Course> c = courses.get(pin.value().courseId());
            if (c == null ? !courseIds.contains(pin.value().courseId())
                    : !applicantIds.contains(pin.value().applicantId()) || pin.value().slotIndex() >= c.value().slots()) {
                out.add(pin.where().error(Problem.Code.INVALID, "", "pin of slot " + pin.value().courseId() + "#"
                        + pin.value().slotIndex() + " to " + pin.value().applicantId()
                        + " no longer fits the data (course, slot or applicant gone): unpin it first"));
            }
        }
        skills(d, out);
        nearDuplicates(applicants.values(), out);
        return out;
    }

    private record Refs(Set<String> courses, Set<String> applicants, Map<String, List<String>> courseByCode,
                        Map<String, List<String>> applicantByName) {

        void course(Where w, String field, String id, List<Problem> out) {
            if (courses.contains(id)) {
                return;
            }
            List<String> byCode = courseByCode.get(norm(id));
            if (byCode != null) {
                out.add(w.error(Problem.Code.NAME_FOR_ID, field, "\"" + id + "\" is a course code, not a course id: use "
                        + (byCode.size() == 1 ? byCode.get(0) : "one of " + byCode)));
            } else {
                out.add(w.error(Problem.Code.UNKNOWN_COURSE, field, "no course has the id \"" + id + "\""));
            }
        }

        void applicant(Where w, String field, String id, List<Problem> out) {
            if (applicants.contains(id)) {
                return;
            }
            List<String> byName = applicantByName.get(norm(id));
            if (byName != null) {
                out.add(w.error(Problem.Code.NAME_FOR_ID, field, "\"" + id + "\" is an applicant's name, not an id: use "
                        + (byName.size() == 1 ? byName.get(0) : "one of " + byName)));
            } else {
                out.add(w.error(Problem.Code.UNKNOWN_APPLICANT, field, "no applicant has the id \"" + id + "\""));
            }
        }
    }

    private static <T> Map<String, Located<T>> unique(List<Located<T>> items, java.util.function.Function<T, String> id,
                                                      String what, List<Problem> out) {
        Map<String, Located<T>> byId = new LinkedHashMap<>();
        for (Located<T> item : items) {
            Located<T> first = byId.putIfAbsent(id.apply(item.value()), item);
            if (first != null) {
                out.add(item.where().error(Problem.Code.DUPLICATE_ID, "id", "duplicate " + what + " id \""
                        + id.apply(item.value()) + "\" (first at " + first.where().file()
                        + (first.where().line() > 0 ? " line " + first.where().line() : "") + ")"));
            }
        }
        return byId;
    }

    /** A skill written two ways ("Python" and "python ", "C++" and "c++") would never match: refuse it. */
    private static void skills(Draft d, List<Problem> out) {
        Map<String, Map<String, Where>> spellings = new LinkedHashMap<>();
        for (Located<Course> c : d.courses()) {
            for (String s : c.value().requiredSkills()) {
                note(spellings, s, c.where(), "requiredSkills", out);
            }
        }
        for (Located<Applicant> a : d.applicants()) {
            for (String s : a.value().skills()) {
                note(spellings, s, a.where(), "skills", out);
            }
        }
    }

    private static void note(Map<String, Map<String, Where>> spellings, String skill, Where where, String field,
                             List<Problem> out) {
        Map<String, Where> forms = spellings.computeIfAbsent(skillKey(skill), k -> new LinkedHashMap<>());
        if (forms.containsKey(skill)) {
            return;
        }
        if (!forms.isEmpty()) {
            Map.Entry<String, Where> first = forms.entrySet().iterator().next();
            out.add(where.error(Problem.Code.SKILL_SPELLING, field, "skill \"" + skill + "\" is spelt \"" + first.getKey()
                    + "\" in " + first.getValue().file() + (first.getValue().line() > 0 ? " line " + first.getValue().line() : "")
                    + ": use one spelling, or they never match"));
        }
        forms.put(skill, where);
    }

    static String skillKey(String skill) {
        return norm(skill).replaceAll("[\\s_\\-.]", "");
    }

    /** Two applicants whose names differ only in case, accents, spacing or word order: probably one person. */
    private static void nearDuplicates(java.util.Collection<Located<Applicant>> applicants, List<Problem> out) {
        Map<String, Located<Applicant>> byKey = new HashMap<>();
        for (Located<Applicant> a : applicants) {
            String key = nameKey(a.value().name());
            Located<Applicant> other = byKey.putIfAbsent(key, a);
            if (other != null) {
                out.add(a.where().warning(Problem.Code.NEAR_DUPLICATE, "name", "applicant " + a.value().id() + " (\""
                        + a.value().name() + "\") looks like applicant " + other.value().id() + " (\"" + other.value().name()
                        + "\"" + (other.where().line() > 0 ? ", line " + other.where().line() : "") + "): the same person twice?"));
            }
        }
    }

    static String nameKey(String name) {
        String plain = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String[] words = plain.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip().split(" ");
        Arrays.sort(words);
        return String.join(" ", words);
    }

    static String norm(String s) {
        return s.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    private static String at(Integer line) {
        return line == null || line == 0 ? "" : " (line " + line + ")";
    }
}
