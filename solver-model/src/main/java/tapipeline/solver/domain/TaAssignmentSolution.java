package tapipeline.solver.domain;

import java.util.List;
import org.optaplanner.core.api.domain.constraintweight.ConstraintConfigurationProvider;
import org.optaplanner.core.api.domain.solution.PlanningEntityCollectionProperty;
import org.optaplanner.core.api.domain.solution.PlanningScore;
import org.optaplanner.core.api.domain.solution.PlanningSolution;
import org.optaplanner.core.api.domain.solution.ProblemFactCollectionProperty;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

/**
 * A TA-assignment problem and its solution: courses, applicants and instructor requests are facts;
 * the slots are the planning entities.
 *
 * <p>Score levels: hard = rules that must hold; medium = filled slots and hours owed; soft = how
 * good and fair the assignment is. The score is a long: squared loads add up quickly.
 */
@PlanningSolution(solutionCloner = TaSolutionCloner.class)
public class TaAssignmentSolution {

    @ProblemFactCollectionProperty
    private List<TaCourse> courses;
    @ProblemFactCollectionProperty
    private List<TaApplicant> applicants;
    @ProblemFactCollectionProperty
    private List<InstructorRequest> requests;
    @PlanningEntityCollectionProperty
    private List<TaSlot> slots;
    @ConstraintConfigurationProvider
    private TaConstraintConfiguration constraintConfiguration;
    @PlanningScore
    private HardMediumSoftLongScore score;

    /** For OptaPlanner's solution cloner. */
    public TaAssignmentSolution() {
    }

    public TaAssignmentSolution(List<TaCourse> courses, List<TaApplicant> applicants,
            List<InstructorRequest> requests, List<TaSlot> slots, TaConstraintConfiguration constraintConfiguration) {
        this.courses = courses;
        this.applicants = applicants;
        this.requests = requests;
        this.slots = slots;
        this.constraintConfiguration = constraintConfiguration;
    }

    public List<TaCourse> getCourses() {
        return courses;
    }

    public List<TaApplicant> getApplicants() {
        return applicants;
    }

    public List<InstructorRequest> getRequests() {
        return requests;
    }

    public List<TaSlot> getSlots() {
        return slots;
    }

    public TaConstraintConfiguration getConstraintConfiguration() {
        return constraintConfiguration;
    }

    public HardMediumSoftLongScore getScore() {
        return score;
    }

    public void setScore(HardMediumSoftLongScore score) {
        this.score = score;
    }

    public long assignedCount() {
        return slots.stream().filter(s -> s.getTa() != null).count();
    }
}
