package tapipeline.solver.domain;

/**
 * An instructor asked for this applicant on this course (a problem fact).
 *
 * @param rank 1 = most wanted
 */
public record InstructorRequest(TaCourse course, TaApplicant applicant, int rank) {

    /** How much an unmet request weighs: rank 1 counts 3, rank 2 counts 2, rank 3 and below count 1. */
    public int weight() {
        return Math.max(1, 4 - rank);
    }
}
