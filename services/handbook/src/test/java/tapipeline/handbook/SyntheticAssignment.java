package tapipeline.handbook;

import tapipeline.handbook.model.TermAssignment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A deterministic, large approved assignment for benchmarks and pagination tests; names in many scripts. */
public final class SyntheticAssignment {

    private static final String[] GIVEN = {
            "José", "Zoë", "Γιώργος", "Анна", "Łukasz", "İlkay", "Ayşe", "Søren", "Jiří", "Nguyễn",
            "明", "花子", "민준", "Siobhán", "François", "Oğuz", "Małgorzata", "Дмитрий", "Ελένη", "さくら",
            "Amara", "Priya", "Kwame", "Mateus", "Björk"};
    private static final String[] FAMILY = {
            "Ramírez-Núñez", "Brontë", "Παπαδόπουλος", "Кузнецова", "Żółkiewski", "Öztürk", "Yılmaz",
            "Kierkegaard-Møller", "Dvořák", "Thị Lan", "王", "佐藤", "김", "O'Brien", "Lefèvre", "Çelik",
            "Wiśniewska", "Иванов", "Οικονόμου", "たなか", "Okafor", "Natarajan", "Mensah", "Gonçalves", "Guðmundsdóttir"};
    private static final String[] TOPICS = {
            "Machine Learning", "Deep Learning", "Computer Architecture", "Signals and Systems", "Embedded Systems",
            "Robotics", "Optimization", "Distributed Systems", "Computer Vision", "Natural Language Processing",
            "Security and Privacy", "Probability", "Control Systems", "Wireless Networks", "Compilers"};

    private SyntheticAssignment() {}

    public static TermAssignment generate(int courses, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TermAssignment.Course> list = new ArrayList<>(courses);
        int applicant = 0;
        for (int i = 0; i < courses; i++) {
            int tas = random.nextInt(4);
            List<TermAssignment.Ta> ta = new ArrayList<>(tas);
            for (int j = 0; j < tas; j++) {
                ta.add(new TermAssignment.Ta("a-" + (++applicant), name(random), 5 + 5 * random.nextInt(4)));
            }
            String topic = TOPICS[random.nextInt(TOPICS.length)];
            list.add(new TermAssignment.Course("c-" + i, (18 + i / 900) + "-" + (100 + i % 900),
                    (random.nextInt(5) == 0 ? "Advanced Topics in " : "Introduction to ") + topic,
                    Character.toString('A' + random.nextInt(4)), "Dr. " + name(random), ta));
        }
        return new TermAssignment("Fall 2026", "run-synthetic-" + seed, "coordinator",
                Instant.parse("2026-08-20T15:00:00Z"), list);
    }

    private static String name(SplittableRandom random) {
        return GIVEN[random.nextInt(GIVEN.length)] + " " + FAMILY[random.nextInt(FAMILY.length)];
    }
}
