package tapipeline.coordinator.imports;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small valid department as CSV files, and one case per class of import problem: the files with
 * the mistake, and the file, line, column and header where it must be reported. Used by the unit
 * test of the importer and by the API test (the same cases through HTTP).
 */
public final class ImportCases {

    public static final String COURSES = """
            id,code,title,section,meetings,slots,hours_per_slot,required_skills,min_tas
            c1,CPSC 110,Intro,101,"MON 09:00-10:00; WED 09:00-10:00",2,10,Python,1
            c2,MATH 100,"Calculus, ""Differential\"\"",101,TUE 10:00-11:00,1,5,,0
            """;
    public static final String APPLICANTS = """
            id,name,max_hours,skills,conflicts
            a1,Ana Silva,20,Python,
            a2,"Bob ""Bobby\"" Smith",10,,c2: enrolled
            """;
    public static final String PREFERENCES = """
            applicant_id,course_id,rating,will_not
            a1,c1,5,
            a2,c2,3,false
            """;
    public static final String REQUESTS = """
            course_id,applicant_id,kind,rank
            c1,a1,request,1
            """;

    /** One problem class: the files sent, and where the problem must be reported. */
    public record Case(Problem.Code code, Map<String, byte[]> files, String file, int line, int column, String field) {
        @Override
        public String toString() {
            return code.name();
        }
    }

    public static Map<String, byte[]> valid() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("courses.csv", utf8(COURSES));
        m.put("applicants.csv", utf8(APPLICANTS));
        m.put("preferences.csv", utf8(PREFERENCES));
        m.put("instructor_requests.csv", utf8(REQUESTS));
        return m;
    }

    /** The valid files with one replaced. */
    public static Map<String, byte[]> with(String name, String content) {
        return with(name, utf8(content));
    }

    public static Map<String, byte[]> with(String name, byte[] content) {
        Map<String, byte[]> m = valid();
        m.put(name, content);
        return m;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static List<Importer.Upload> uploads(Map<String, byte[]> files) {
        List<Importer.Upload> out = new ArrayList<>();
        files.forEach((name, bytes) -> out.add(new Importer.Upload(name, bytes)));
        return out;
    }

    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        byte[] latin1 = "id,name,max_hours\na1,Ana Silva,20\na2,Jos\u00e9,10\n".getBytes(StandardCharsets.ISO_8859_1);
        c.add(new Case(Problem.Code.ENCODING, with("applicants.csv", latin1), "applicants.csv", 3, 7, ""));
        c.add(new Case(Problem.Code.CSV_SYNTAX, with("preferences.csv", "applicant_id,course_id,rating\na1,c1,5\na2,\"c2,3\n"),
                "preferences.csv", 3, 0, ""));
        c.add(new Case(Problem.Code.MISSING_COLUMN, with("preferences.csv", "applicant_id,rating\na1,5\n"),
                "preferences.csv", 1, 0, "course_id"));
        c.add(new Case(Problem.Code.DUPLICATE_COLUMN, with("preferences.csv", "applicant_id,course_id,rating,Rating\na1,c1,5,4\n"),
                "preferences.csv", 1, 4, "Rating"));
        c.add(new Case(Problem.Code.FIELD_COUNT, with("preferences.csv", "applicant_id,course_id,rating\na1,c1,5\na2,c2,3,extra\n"),
                "preferences.csv", 3, 0, ""));
        c.add(new Case(Problem.Code.MISSING_VALUE, with("applicants.csv", APPLICANTS + "a3,,10,,\n"),
                "applicants.csv", 4, 2, "name"));
        c.add(new Case(Problem.Code.NOT_A_NUMBER, with("courses.csv", COURSES + "c3,PHYS 101,Mechanics,1,,two,10,,0\n"),
                "courses.csv", 4, 6, "slots"));
        c.add(new Case(Problem.Code.OUT_OF_RANGE, with("preferences.csv", PREFERENCES + "a1,c2,7,\n"),
                "preferences.csv", 4, 3, "rating"));
        c.add(new Case(Problem.Code.BAD_TIME, with("courses.csv", COURSES + "c3,PHYS 101,Mechanics,1,MON 9am,1,10,,0\n"),
                "courses.csv", 4, 5, "meetings"));
        c.add(new Case(Problem.Code.BAD_BOOLEAN, with("preferences.csv", PREFERENCES + "a1,c2,2,maybe\n"),
                "preferences.csv", 4, 4, "will_not"));
        c.add(new Case(Problem.Code.BAD_KIND, with("instructor_requests.csv", REQUESTS + "c2,a2,please,\n"),
                "instructor_requests.csv", 3, 3, "kind"));
        c.add(new Case(Problem.Code.INVALID, with("courses.csv", COURSES + "c3,PHYS 101,Mechanics,1,,1,10,,3\n"),
                "courses.csv", 4, 9, "min_tas"));
        c.add(new Case(Problem.Code.DUPLICATE_ID, with("applicants.csv", APPLICANTS + "a1,Ann Other,10,,\n"),
                "applicants.csv", 4, 1, "id"));
        c.add(new Case(Problem.Code.DUPLICATE_ROW, with("preferences.csv", PREFERENCES + "a1,c1,4,\n"),
                "preferences.csv", 4, 2, "course_id"));
        c.add(new Case(Problem.Code.UNKNOWN_COURSE, with("preferences.csv", PREFERENCES + "a1,c9,4,\n"),
                "preferences.csv", 4, 2, "course_id"));
        c.add(new Case(Problem.Code.UNKNOWN_APPLICANT, with("instructor_requests.csv", REQUESTS + "c2,a7,ban,\n"),
                "instructor_requests.csv", 3, 2, "applicant_id"));
        c.add(new Case(Problem.Code.NAME_FOR_ID, with("preferences.csv", PREFERENCES + "Ana Silva,c2,4,\n"),
                "preferences.csv", 4, 1, "applicant_id"));
        c.add(new Case(Problem.Code.SKILL_SPELLING, with("applicants.csv", APPLICANTS + "a3,Chen Wei,10,python ,\n"),
                "applicants.csv", 4, 4, "skills"));
        c.add(new Case(Problem.Code.BAD_EMAIL, with("applicants.csv", "id,name,max_hours,email\na1,Ana Silva,20,ana@students.example.edu\n"
                + "a2,Bob Smith,10,bob at students.example.edu\n"), "applicants.csv", 3, 4, "email"));
        c.add(new Case(Problem.Code.UNKNOWN_FILE, with("notes.csv", "x\n1\n"), "notes.csv", 0, 0, ""));
        c.add(new Case(Problem.Code.JSON_SYNTAX, json("{\n  \"courses\": [\n    {\"id\": \"c1\",}\n  ]\n}\n"),
                "dataset.json", 3, 17, ""));
        c.add(new Case(Problem.Code.SCHEMA, json("{\n  \"applicants\": [\n    {\"id\": \"a1\", \"name\": \"Ana\", \"program\": \"\",\n"
                + "     \"year\": 1, \"minHours\": 0, \"maxHours\": \"twenty\", \"targetHours\": 0}\n  ]\n}\n"),
                "dataset.json", 4, 44, "/applicants/0/maxHours"));
        c.add(new Case(Problem.Code.WRONG_TERM, json("{\"term\": \"1999W\"}"), "dataset.json", 1, 10, "/term"));
        // warnings
        c.add(new Case(Problem.Code.UNKNOWN_COLUMN, with("preferences.csv", "applicant_id,course_id,rating,notes\na1,c1,5,x\n"),
                "preferences.csv", 1, 4, "notes"));
        c.add(new Case(Problem.Code.TRAILING_SPACE, with("preferences.csv", PREFERENCES + "a1,c2 ,4,\n"),
                "preferences.csv", 4, 2, "course_id"));
        c.add(new Case(Problem.Code.NEAR_DUPLICATE, with("applicants.csv", APPLICANTS + "a3,silva ana,10,,\n"),
                "applicants.csv", 4, 2, "name"));
        return c;
    }

    private static Map<String, byte[]> json(String text) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("dataset.json", utf8(text));
        return m;
    }

    private ImportCases() {
    }
}
