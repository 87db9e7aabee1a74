package tapipeline.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.schemas.EventType;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.generator.DepartmentGenerator;

/**
 * What the scale-out tests and benchmarks send and read: run requests of generated departments, the
 * approval a coordinator would make of a completed run, and a whole topic read back as events.
 */
public final class ClusterWorkload {

    private ClusterWorkload() {
    }

    /**
     * A run request for one generated department: {@code courses} courses and {@code applicants}
     * applicants from {@code seed}, solved for {@code seconds} (the generator's other settings kept;
     * one move thread, so runs share the machine's cores instead of competing inside one run).
     */
    public static AssignmentProblem runRequest(String runId, String term, String department, int courses, int applicants,
                                               int seconds, long seed) {
        return runRequest(runId, term, department, courses, applicants, seconds, seed, null);
    }

    /**
     * Like {@link #runRequest(String, String, String, int, int, int, long)}, and with a score-calculation
     * limit (when not null) the search stops after a fixed amount of work instead of at the time limit, so
     * that runs per minute measure CPU, not the time limit.
     */
    public static AssignmentProblem runRequest(String runId, String term, String department, int courses, int applicants,
                                               int seconds, long seed, Long scoreCalculationLimit) {
        AssignmentProblem p = DepartmentGenerator.generate(courses, applicants, seed);
        SolverSettings s = p.settings();
        SolverSettings settings = new SolverSettings(seconds, 0, seed, 1,
                s == null ? null : s.constraintWeights(), scoreCalculationLimit);
        return new AssignmentProblem(runId, term, department, p.courses(), p.applicants(), p.preferences(),
                p.instructorPreferences(), p.pins(), p.previousAssignment(), settings);
    }

    /** The approval of a completed run, as the coordinator publishes it: public fields only. */
    public static AssignmentApproved approval(AssignmentProblem problem, RunCompleted result, String approvedBy, Instant at) {
        Map<String, Applicant> applicants = problem.applicants().stream()
                .collect(Collectors.toMap(Applicant::id, Function.identity()));
        Map<String, List<RunCompleted.Assignment>> byCourse = result.assignments().stream()
                .collect(Collectors.groupingBy(RunCompleted.Assignment::courseId));
        List<AssignmentApproved.ApprovedCourse> courses = new ArrayList<>();
        for (Course c : problem.courses()) {
            List<AssignmentApproved.ApprovedTa> tas = byCourse.getOrDefault(c.id(), List.of()).stream()
                    .filter(a -> a.applicantId() != null)
                    .sorted(Comparator.comparingInt(RunCompleted.Assignment::slotIndex))
                    .map(a -> new AssignmentApproved.ApprovedTa(a.applicantId(), applicants.get(a.applicantId()).name(),
                            c.hoursPerSlot()))
                    .toList();
            courses.add(new AssignmentApproved.ApprovedCourse(c.id(), c.code(), c.title(), c.section(), c.instructor(), tas));
        }
        return new AssignmentApproved(problem.term(), problem.runId(), approvedBy, at, courses);
    }

    /** Every committed record of {@code type}'s topic, decoded, read from the beginning to the end offsets. */
    public static <T> List<Event<T>> readAll(KafkaClients clients, EventType<T> type, Duration timeout) {
        var decoder = Events.decoder(type);
        List<Event<T>> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readRaw(clients, type.topic(), timeout)) {
            out.add(new Event<>(r.key(), r.partition(), r.offset(), r.timestamp(), decoder.decode(r)));
        }
        return out;
    }

    /** Every committed record of {@code topic}, from the beginning to the end offsets at the call. */
    public static List<ConsumerRecord<String, byte[]>> readRaw(KafkaClients clients, String topic, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(null, "cluster-workload-reader")) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** One event read back, with where it was. */
    public record Event<T>(String key, int partition, long offset, long timestamp, Envelope<T> envelope) {
        public T payload() {
            return envelope.payload();
        }
    }
}
