package tapipeline.solver.generator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.ConflictOfInterest;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.CourseGrade;
import tapipeline.schemas.assignment.Day;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.SolverSettings;

/**
 * Makes realistic TA-assignment problems of any size from a seed; the same seed and sizes always
 * give the same problem. Courses have MWF or TTh meetings, 1–4 slots of 5, 10 or 20 h, priorities
 * and required skills; applicants have 10 or 20 h (sized so that TAs have about 1.1 times the hours
 * the slots need), skills, transcripts, ratings, some conflicts of interest, unavailable times and
 * "will not"s; instructors request and ban a few. Names come from many scripts (Latin with accents,
 * Greek, Cyrillic, Turkish, Polish, Chinese, Japanese, Korean), as the handbook must render them.
 */
public final class DepartmentGenerator {

    /** The sample department: about 60 courses and 180 applicants. */
    public static AssignmentProblem sampleDepartment(long seed) {
        return generate(60, 180, seed);
    }

    /** A whole university: about 1,500 courses and 2,500 applicants. */
    public static AssignmentProblem university(long seed) {
        return generate(1500, 2500, seed);
    }

    private record Subject(String prefix, String name, List<String> titles, List<String> skills) {
    }

    private static final List<Subject> SUBJECTS = List.of(
            new Subject("CPSC", "Computer Science", List.of("Introduction to Programming", "Data Structures",
                    "Algorithms", "Operating Systems", "Computer Networks", "Databases", "Machine Learning",
                    "Computer Graphics", "Compilers", "Parallel Computing", "Software Engineering", "Security"),
                    List.of("Python", "Java", "C", "C++", "CUDA", "SQL", "Haskell", "Linux")),
            new Subject("MATH", "Mathematics", List.of("Calculus", "Linear Algebra", "Differential Equations",
                    "Real Analysis", "Abstract Algebra", "Probability", "Number Theory", "Topology"),
                    List.of("Proofs", "LaTeX", "MATLAB", "Statistics")),
            new Subject("STAT", "Statistics", List.of("Statistical Inference", "Regression", "Bayesian Methods",
                    "Experimental Design", "Time Series"), List.of("R", "Statistics", "Python", "SAS")),
            new Subject("PHYS", "Physics", List.of("Mechanics", "Electromagnetism", "Quantum Mechanics",
                    "Thermodynamics", "Optics", "Lab Methods"), List.of("Lab safety", "MATLAB", "Python", "Electronics")),
            new Subject("CHEM", "Chemistry", List.of("General Chemistry", "Organic Chemistry", "Physical Chemistry",
                    "Analytical Chemistry", "Biochemistry"), List.of("Lab safety", "Spectroscopy", "Statistics")),
            new Subject("LING", "Linguistics", List.of("Phonetics", "Syntax", "Semantics", "Sociolinguistics",
                    "Computational Linguistics"), List.of("IPA", "Python", "Statistics", "Fieldwork")),
            new Subject("ECON", "Economics", List.of("Microeconomics", "Macroeconomics", "Econometrics",
                    "Game Theory", "Public Finance"), List.of("Stata", "R", "Statistics", "Excel")));

    private static final String[][][] NAMES = {
            // Latin with accents (Spanish, Portuguese, French, German, Nordic, Czech)
            {{"Ana", "José", "Zoë", "François", "Søren", "Inês", "Jürgen", "Léa", "Tomáš", "Añita", "Björn", "Chloé"},
             {"Silva", "Álvarez", "Müller", "Lefèvre", "Jørgensen", "Gonçalves", "Šťastný", "Núñez", "Åberg", "Dvořák"}},
            // English
            {{"Emma", "Liam", "Olivia", "Noah", "Grace", "Owen"}, {"Johnson", "Smith", "Brown", "Taylor", "O'Neil"}},
            // Greek
            {{"Γιώργος", "Ελένη", "Δημήτρης", "Μαρία", "Νίκος", "Κατερίνα"},
             {"Παπαδόπουλος", "Κωνσταντίνου", "Γεωργίου", "Νικολάου", "Οικονόμου"}},
            // Cyrillic
            {{"Анна", "Дмитрий", "Ольга", "Сергей", "Наталья", "Иван"}, {"Иванова", "Смирнов", "Кузнецова", "Попов", "Соколова"}},
            // Turkish
            {{"Çağrı", "Şule", "İpek", "Gökhan", "Özge", "Ümit"}, {"Yılmaz", "Öztürk", "Güneş", "Çelik", "Şahin", "Doğan"}},
            // Polish
            {{"Łukasz", "Zofia", "Małgorzata", "Paweł", "Agnieszka", "Wojciech"},
             {"Wójcik", "Dąbrowska", "Kowalczyk", "Woźniak", "Zieliński", "Kamiński"}},
    };
    /** Family name then given name, without a space, as these names are usually written. */
    private static final String[][][] EAST_ASIAN_NAMES = {
            {{"王", "李", "张", "刘", "陈", "杨"}, {"伟", "娜", "敏", "静", "磊", "洋", "秀英"}},   // Chinese
            {{"佐藤", "鈴木", "高橋", "田中", "渡辺"}, {"花子", "一郎", "さくら", "健太", "美咲"}}, // Japanese
            {{"김", "이", "박", "최", "정"}, {"민준", "서연", "지훈", "하은", "도윤"}},             // Korean
    };

    private static final List<String> PROGRAMS = List.of("PhD", "MSc", "MA", "MEng", "BSc (Honours)");
    private static final List<String> GRADES = List.of("A+", "A", "A-", "B+", "B", "B-", "C+", "C", "92", "85", "74");
    private static final String[] MWF_STARTS = {"08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"};
    private static final String[] TTH_STARTS = {"08:00", "09:30", "11:00", "12:30", "14:00", "15:30", "17:00"};

    private DepartmentGenerator() {
    }

    /** A problem with exactly {@code courseCount} courses and {@code applicantCount} applicants. */
    public static AssignmentProblem generate(int courseCount, int applicantCount, long seed) {
        if (courseCount < 1 || applicantCount < 1) {
            throw new IllegalArgumentException("need at least one course and one applicant");
        }
        Random random = new Random(seed);
        List<Subject> subjects = courseCount <= 100 ? SUBJECTS.subList(0, 3) : SUBJECTS;

        // applicants have 10 or 20 h; the courses' slots are then sized so TAs have about 1.1x the hours
        double share20 = 0.35;
        int capacity = 0;
        int[] maxHours = new int[applicantCount];
        for (int i = 0; i < applicantCount; i++) {
            maxHours[i] = random.nextDouble() < share20 ? 20 : 10;
            capacity += maxHours[i];
        }
        long wantedHours = Math.round(capacity / 1.1);

        List<Course> courses = new ArrayList<>(courseCount);
        List<Subject> courseSubject = new ArrayList<>(courseCount);
        Set<String> codes = new HashSet<>();
        int totalHours = 0;
        for (int i = 0; i < courseCount; i++) {
            Subject subject = subjects.get(i % subjects.size());
            String code;
            String section = "101";
            do {
                code = subject.prefix() + " " + (100 + 100 * random.nextInt(4) + random.nextInt(90));
            } while (!codes.add(code) && codes.size() < subjects.size() * 360);
            if (random.nextInt(6) == 0 && i > 0 && courseSubject.get(i - 1) == subject) {
                code = courses.get(i - 1).code();   // a second section of the previous course
                section = "102";
            }
            String title = subject.titles().get(random.nextInt(subject.titles().size()))
                    + (random.nextBoolean() ? "" : " " + roman(1 + random.nextInt(2)));
            int slots = pick(random, new int[] {1, 2, 3, 4}, new int[] {30, 30, 25, 15});
            int hours = pick(random, new int[] {5, 10, 20}, new int[] {30, 55, 15});
            List<String> skills = new ArrayList<>();
            int skillCount = pick(random, new int[] {0, 1, 2}, new int[] {50, 35, 15});
            for (int s = 0; s < skillCount; s++) {
                String skill = subject.skills().get(random.nextInt(subject.skills().size()));
                if (!skills.contains(skill)) {
                    skills.add(skill);
                }
            }
            int minTas = random.nextInt(3) == 0 ? slots : (slots + 1) / 2;
            courses.add(new Course(String.format("C%04d", i + 1), code, title, section, "2027W1",
                    name(random), meetings(random), slots, hours, skills, minTas, slots + random.nextInt(2),
                    1 + random.nextInt(5), random.nextInt(5) == 0));
            courseSubject.add(subject);
            totalHours += slots * hours;
        }

        resize(courses, wantedHours, totalHours, random);
        List<Applicant> applicants = new ArrayList<>(applicantCount);
        List<Preference> preferences = new ArrayList<>();
        List<String> allSkills = new ArrayList<>(new LinkedHashSet<>(subjects.stream()
                .flatMap(s -> s.skills().stream()).toList()));
        for (int i = 0; i < applicantCount; i++) {
            String id = String.format("A%05d", i + 1);
            Subject home = subjects.get(random.nextInt(subjects.size()));
            int max = maxHours[i];
            int min = random.nextInt(10) < 4 ? max / 2 : 0;
            int target = random.nextInt(10) < 6 ? max : Math.max(min, max - 5);
            Set<String> skills = new LinkedHashSet<>();
            int skillCount = 2 + random.nextInt(4);
            while (skills.size() < skillCount) {
                skills.add(random.nextInt(4) == 0 ? allSkills.get(random.nextInt(allSkills.size()))
                        : home.skills().get(random.nextInt(home.skills().size())));
            }
            List<CourseGrade> taken = new ArrayList<>();
            Set<String> takenCodes = new HashSet<>();
            for (int k = 0, n = 3 + random.nextInt(6); k < n; k++) {
                Course c = courses.get(random.nextInt(courses.size()));
                if (takenCodes.add(c.code())) {
                    taken.add(new CourseGrade(c.code(), GRADES.get(random.nextInt(GRADES.size()))));
                }
            }
            List<String> taught = new ArrayList<>();
            if (random.nextInt(10) < 3) {
                for (int k = 0, n = 1 + random.nextInt(2); k < n; k++) {
                    String code = courses.get(random.nextInt(courses.size())).code();
                    if (!taught.contains(code)) {
                        taught.add(code);
                    }
                }
            }
            List<ConflictOfInterest> conflicts = new ArrayList<>();
            if (random.nextInt(100) < 4) {
                conflicts.add(new ConflictOfInterest(courses.get(random.nextInt(courses.size())).id(),
                        random.nextBoolean() ? "enrolled in the course" : "related to the instructor"));
            }
            List<Meeting> unavailable = new ArrayList<>();
            if (random.nextInt(10) < 3) {
                Day day = Day.values()[random.nextInt(5)];
                int hour = 8 + random.nextInt(8);
                unavailable.add(new Meeting(day, String.format("%02d:00", hour), String.format("%02d:00", hour + 2)));
            }
            applicants.add(new Applicant(id, name(random), PROGRAMS.get(random.nextInt(PROGRAMS.size())) + " "
                    + home.name(), 1 + random.nextInt(6), min, max, target, unavailable, List.copyOf(skills), taken,
                    taught, conflicts));

            // ratings: mostly courses of the home subject, mostly keen
            Set<String> rated = new HashSet<>();
            for (int k = 0, n = 4 + random.nextInt(7); k < n; k++) {
                int c = random.nextInt(courses.size());
                if (random.nextInt(3) > 0) {
                    for (int tries = 0; tries < 5 && courseSubject.get(c) != home; tries++) {
                        c = random.nextInt(courses.size());
                    }
                }
                if (rated.add(courses.get(c).id())) {
                    boolean willNot = random.nextInt(100) < 5;
                    int rating = pick(random, new int[] {1, 2, 3, 4, 5}, new int[] {5, 10, 20, 30, 35});
                    preferences.add(new Preference(id, courses.get(c).id(), willNot ? 1 : rating, willNot));
                }
            }
        }

        List<InstructorPreference> instructorPreferences = new ArrayList<>();
        // the keen applicants of each course, in preference order (one pass, not one per course)
        java.util.Map<String, List<Preference>> keenByCourse = new java.util.HashMap<>();
        for (Preference p : preferences) {
            if (!p.willNot() && p.rating() >= 4) {
                keenByCourse.computeIfAbsent(p.courseId(), k -> new ArrayList<>()).add(p);
            }
        }
        for (Course c : courses) {
            if (random.nextInt(4) == 0) {
                List<Preference> keen = keenByCourse.getOrDefault(c.id(), List.of());
                for (int rank = 1; rank <= Math.min(2, keen.size()); rank++) {
                    instructorPreferences.add(InstructorPreference.request(c.id(),
                            keen.get(random.nextInt(keen.size())).applicantId(), rank));
                }
            }
            if (random.nextInt(20) == 0) {
                instructorPreferences.add(InstructorPreference.ban(c.id(),
                        applicants.get(random.nextInt(applicants.size())).id()));
            }
        }
        dedupeInstructorPreferences(instructorPreferences);

        return new AssignmentProblem("gen-" + courseCount + "-" + applicantCount + "-" + seed, "2027W1",
                courseCount <= 100 ? "Computer Science" : "University", courses, applicants, preferences,
                instructorPreferences, List.of(), List.of(), SolverSettings.defaults().withRandomSeed(seed));
    }

    /** Adds or removes slots (keeping 1..6 per course) until the courses want about {@code wanted} hours. */
    private static int resize(List<Course> courses, long wanted, int total, Random random) {
        for (int guard = 0; guard < 100 * courses.size(); guard++) {
            int i = random.nextInt(courses.size());
            Course c = courses.get(i);
            int slots;
            if (total + c.hoursPerSlot() / 2 < wanted && c.slots() < 6) {
                slots = c.slots() + 1;
            } else if (total - c.hoursPerSlot() / 2 > wanted && c.slots() > 1) {
                slots = c.slots() - 1;
            } else if (Math.abs(total - wanted) <= 10) {
                break;
            } else {
                continue;
            }
            total += (slots - c.slots()) * c.hoursPerSlot();
            courses.set(i, new Course(c.id(), c.code(), c.title(), c.section(), c.term(), c.instructor(),
                    c.meetings(), slots, c.hoursPerSlot(), c.requiredSkills(), Math.min(c.minTas(), slots),
                    Math.max(slots, c.maxTas() - c.slots() + slots), c.priority(), c.wantsExperienced()));
        }
        return total;
    }

    private static void dedupeInstructorPreferences(List<InstructorPreference> list) {
        Set<String> seen = new HashSet<>();
        list.removeIf(p -> !seen.add(p.courseId() + "|" + p.applicantId()));
    }

    private static List<Meeting> meetings(Random random) {
        if (random.nextBoolean()) {
            String start = MWF_STARTS[random.nextInt(MWF_STARTS.length)];
            String end = start.substring(0, 3) + "50";
            return List.of(new Meeting(Day.MON, start, end), new Meeting(Day.WED, start, end),
                    new Meeting(Day.FRI, start, end));
        }
        String start = TTH_STARTS[random.nextInt(TTH_STARTS.length)];
        int minutes = Integer.parseInt(start.substring(0, 2)) * 60 + Integer.parseInt(start.substring(3)) + 80;
        String end = String.format("%02d:%02d", minutes / 60, minutes % 60);
        return List.of(new Meeting(Day.TUE, start, end), new Meeting(Day.THU, start, end));
    }

    private static String name(Random random) {
        if (random.nextInt(10) < 3) {
            String[][] culture = EAST_ASIAN_NAMES[random.nextInt(EAST_ASIAN_NAMES.length)];
            String family = culture[0][random.nextInt(culture[0].length)];
            String given = culture[1][random.nextInt(culture[1].length)];
            return culture == EAST_ASIAN_NAMES[1] ? family + " " + given : family + given;
        }
        String[][] culture = NAMES[random.nextInt(NAMES.length)];
        return culture[0][random.nextInt(culture[0].length)] + " " + culture[1][random.nextInt(culture[1].length)];
    }

    private static int pick(Random random, int[] values, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    private static String roman(int n) {
        return n == 1 ? "I" : "II";
    }
}
