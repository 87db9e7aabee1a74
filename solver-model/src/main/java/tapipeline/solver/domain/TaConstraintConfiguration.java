package tapipeline.solver.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.optaplanner.core.api.domain.constraintweight.ConstraintConfiguration;
import org.optaplanner.core.api.domain.constraintweight.ConstraintWeight;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

/**
 * The weight of every constraint, per department: defaults below, overridable by
 * {@code SolverSettings.constraintWeights} (constraint name to {@code 0hard/0medium/5soft}).
 * A weight of {@code 0hard/0medium/0soft} switches a constraint off.
 *
 * <p>Each constraint's penalty is its weight times its match weight (the "per" column of
 * {@link #DESCRIPTIONS}).
 */
@ConstraintConfiguration(constraintPackage = TaConstraintConfiguration.PACKAGE)
public class TaConstraintConfiguration {

    public static final String PACKAGE = "tapipeline.solver";
    public static final String REQUIRED_SKILLS = "Required skills";
    public static final String WITHIN_MAX_HOURS = "Within maximum hours";
    public static final String NO_OVERLAPPING_MEETINGS = "No overlapping meetings";
    public static final String NOT_WHEN_UNAVAILABLE = "Not during unavailable time";
    public static final String NO_CONFLICT_OF_INTEREST = "No conflict of interest";
    public static final String NO_INSTRUCTOR_BAN = "No instructor ban";
    public static final String WILL_NOT_RESPECTED = "Will-not respected";
    public static final String ONE_SLOT_PER_COURSE = "One slot per TA per course";
    public static final String UNFILLED_SLOT = "Unfilled slot";
    public static final String HOURS_OWED = "Hours owed not given";
    public static final String HOURS_OWED_IDLE = "Hours owed not given (no slot)";
    public static final String TA_PREFERENCE = "TA preference";
    public static final String INSTRUCTOR_REQUEST = "Instructor request";
    public static final String EXPERIENCE_MIX = "Experience mix";
    public static final String FAIR_LOAD = "Fair load";
    public static final String FAIR_LOAD_IDLE = "Fair load (no slot)";
    public static final String CONTINUITY = "Continuity";
    public static final String PREVIOUS_ASSIGNMENT = "Distance from previous assignment";

    /** Constraint name to its default weight, in the order hard, medium, soft. */
    public static final Map<String, HardMediumSoftLongScore> DEFAULTS;
    /** Constraint name to what one unit of its match weight is. */
    public static final Map<String, String> DESCRIPTIONS;

    static {
        Map<String, HardMediumSoftLongScore> defaults = new LinkedHashMap<>();
        Map<String, String> descriptions = new LinkedHashMap<>();
        defaults.put(REQUIRED_SKILLS, HardMediumSoftLongScore.parseScore("1hard/0medium/0soft"));
        descriptions.put(REQUIRED_SKILLS, "per missing skill of an assigned TA");
        defaults.put(WITHIN_MAX_HOURS, HardMediumSoftLongScore.parseScore("1hard/0medium/0soft"));
        descriptions.put(WITHIN_MAX_HOURS, "per hour above the TA's maximum");
        defaults.put(NO_OVERLAPPING_MEETINGS, HardMediumSoftLongScore.parseScore("1hard/0medium/0soft"));
        descriptions.put(NO_OVERLAPPING_MEETINGS, "per pair of a TA's courses that meet at the same time");
        defaults.put(NOT_WHEN_UNAVAILABLE, HardMediumSoftLongScore.parseScore("1hard/0medium/0soft"));
        descriptions.put(NOT_WHEN_UNAVAILABLE, "per slot whose course meets when its TA is unavailable");
        defaults.put(NO_CONFLICT_OF_INTEREST, HardMediumSoftLongScore.parseScore("1hard/0medium/0soft"));
        descriptions.put(NO_CONFLICT_OF_INTEREST, "per slot with a conflict of interest");
        defaults.put(NO_INSTRUCTOR_BAN, HardMediumSoftLongScore.parseScore("1hard/0medium/0soft"));
        descriptions.put(NO_INSTRUCTOR_BAN, "per slot whose TA the instructor banned");
        defaults.put(WILL_NOT_RESPECTED, HardMediumSoftLongScore.parseScore("1hard/0medium/0soft"));
        descriptions.put(WILL_NOT_RESPECTED, "per slot whose TA said they will not TA the course");
        defaults.put(ONE_SLOT_PER_COURSE, HardMediumSoftLongScore.parseScore("1hard/0medium/0soft"));
        descriptions.put(ONE_SLOT_PER_COURSE, "per pair of slots of one course held by the same TA");
        defaults.put(UNFILLED_SLOT, HardMediumSoftLongScore.parseScore("0hard/10medium/0soft"));
        descriptions.put(UNFILLED_SLOT, "per empty slot x course priority (1..5), doubled below the course's minimum TAs");
        defaults.put(HOURS_OWED, HardMediumSoftLongScore.parseScore("0hard/1medium/0soft"));
        descriptions.put(HOURS_OWED, "per hour below a TA's minimum (funded) hours, for TAs with some slot");
        defaults.put(HOURS_OWED_IDLE, HardMediumSoftLongScore.parseScore("0hard/1medium/0soft"));
        descriptions.put(HOURS_OWED_IDLE, "per minimum hour of a TA who got no slot at all");
        defaults.put(TA_PREFERENCE, HardMediumSoftLongScore.parseScore("0hard/0medium/3soft"));
        descriptions.put(TA_PREFERENCE, "per slot: (5 - rating) x hours; unrated courses count as rating 3");
        defaults.put(INSTRUCTOR_REQUEST, HardMediumSoftLongScore.parseScore("0hard/0medium/20soft"));
        descriptions.put(INSTRUCTOR_REQUEST, "per unmet request: 3 for rank 1, 2 for rank 2, 1 for rank 3 and below");
        defaults.put(EXPERIENCE_MIX, HardMediumSoftLongScore.parseScore("0hard/0medium/80soft"));
        descriptions.put(EXPERIENCE_MIX, "per course that wants an experienced TA and has none (TA'd it before or took it with B+ or better)");
        defaults.put(FAIR_LOAD, HardMediumSoftLongScore.parseScore("0hard/0medium/1soft"));
        descriptions.put(FAIR_LOAD, "per TA with a slot: (assigned hours - target hours) squared");
        defaults.put(FAIR_LOAD_IDLE, HardMediumSoftLongScore.parseScore("0hard/0medium/1soft"));
        descriptions.put(FAIR_LOAD_IDLE, "per TA with no slot: target hours squared");
        defaults.put(CONTINUITY, HardMediumSoftLongScore.parseScore("0hard/0medium/15soft"));
        descriptions.put(CONTINUITY, "reward per slot whose TA TA'd the course before");
        defaults.put(PREVIOUS_ASSIGNMENT, HardMediumSoftLongScore.parseScore("0hard/3medium/1000soft"));
        descriptions.put(PREVIOUS_ASSIGNMENT, "per slot whose TA differs from the previous assignment (re-solve); the medium part keeps a re-solve from moving many TAs to fill one more slot");
        DEFAULTS = Collections.unmodifiableMap(defaults);
        DESCRIPTIONS = Collections.unmodifiableMap(descriptions);
    }

    @ConstraintWeight(REQUIRED_SKILLS)
    private HardMediumSoftLongScore requiredSkills = DEFAULTS.get(REQUIRED_SKILLS);
    @ConstraintWeight(WITHIN_MAX_HOURS)
    private HardMediumSoftLongScore withinMaxHours = DEFAULTS.get(WITHIN_MAX_HOURS);
    @ConstraintWeight(NO_OVERLAPPING_MEETINGS)
    private HardMediumSoftLongScore noOverlappingMeetings = DEFAULTS.get(NO_OVERLAPPING_MEETINGS);
    @ConstraintWeight(NOT_WHEN_UNAVAILABLE)
    private HardMediumSoftLongScore notWhenUnavailable = DEFAULTS.get(NOT_WHEN_UNAVAILABLE);
    @ConstraintWeight(NO_CONFLICT_OF_INTEREST)
    private HardMediumSoftLongScore noConflictOfInterest = DEFAULTS.get(NO_CONFLICT_OF_INTEREST);
    @ConstraintWeight(NO_INSTRUCTOR_BAN)
    private HardMediumSoftLongScore noInstructorBan = DEFAULTS.get(NO_INSTRUCTOR_BAN);
    @ConstraintWeight(WILL_NOT_RESPECTED)
    private HardMediumSoftLongScore willNotRespected = DEFAULTS.get(WILL_NOT_RESPECTED);
    @ConstraintWeight(ONE_SLOT_PER_COURSE)
    private HardMediumSoftLongScore oneSlotPerCourse = DEFAULTS.get(ONE_SLOT_PER_COURSE);
    @ConstraintWeight(UNFILLED_SLOT)
    private HardMediumSoftLongScore unfilledSlot = DEFAULTS.get(UNFILLED_SLOT);
    @ConstraintWeight(HOURS_OWED)
    private HardMediumSoftLongScore hoursOwed = DEFAULTS.get(HOURS_OWED);
    @ConstraintWeight(HOURS_OWED_IDLE)
    private HardMediumSoftLongScore hoursOwedIdle = DEFAULTS.get(HOURS_OWED_IDLE);
    @ConstraintWeight(TA_PREFERENCE)
    private HardMediumSoftLongScore taPreference = DEFAULTS.get(TA_PREFERENCE);
    @ConstraintWeight(INSTRUCTOR_REQUEST)
    private HardMediumSoftLongScore instructorRequest = DEFAULTS.get(INSTRUCTOR_REQUEST);
    @ConstraintWeight(EXPERIENCE_MIX)
    private HardMediumSoftLongScore experienceMix = DEFAULTS.get(EXPERIENCE_MIX);
    @ConstraintWeight(FAIR_LOAD)
    private HardMediumSoftLongScore fairLoad = DEFAULTS.get(FAIR_LOAD);
    @ConstraintWeight(FAIR_LOAD_IDLE)
    private HardMediumSoftLongScore fairLoadIdle = DEFAULTS.get(FAIR_LOAD_IDLE);
    @ConstraintWeight(CONTINUITY)
    private HardMediumSoftLongScore continuity = DEFAULTS.get(CONTINUITY);
    @ConstraintWeight(PREVIOUS_ASSIGNMENT)
    private HardMediumSoftLongScore previousAssignment = DEFAULTS.get(PREVIOUS_ASSIGNMENT);

    /** The documented defaults. */
    public TaConstraintConfiguration() {
    }

    /**
     * The defaults with some weights replaced.
     *
     * @throws IllegalArgumentException naming the first unknown constraint or malformed weight
     */
    public static TaConstraintConfiguration withOverrides(Map<String, String> overrides) {
        TaConstraintConfiguration config = new TaConstraintConfiguration();
        overrides.forEach((name, weight) -> config.set(name, parse(name, weight)));
        return config;
    }

    private static HardMediumSoftLongScore parse(String name, String weight) {
        HardMediumSoftLongScore score;
        try {
            score = HardMediumSoftLongScore.parseScore(weight);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("weight of '" + name + "' is not like 0hard/0medium/5soft: " + weight);
        }
        if (score.hardScore() < 0 || score.mediumScore() < 0 || score.softScore() < 0) {
            throw new IllegalArgumentException("weight of '" + name + "' must not be negative: " + weight);
        }
        return score;
    }

    /** The weight in force for a constraint. */
    public HardMediumSoftLongScore get(String name) {
        return switch (name) {
            case REQUIRED_SKILLS -> requiredSkills;
            case WITHIN_MAX_HOURS -> withinMaxHours;
            case NO_OVERLAPPING_MEETINGS -> noOverlappingMeetings;
            case NOT_WHEN_UNAVAILABLE -> notWhenUnavailable;
            case NO_CONFLICT_OF_INTEREST -> noConflictOfInterest;
            case NO_INSTRUCTOR_BAN -> noInstructorBan;
            case WILL_NOT_RESPECTED -> willNotRespected;
            case ONE_SLOT_PER_COURSE -> oneSlotPerCourse;
            case UNFILLED_SLOT -> unfilledSlot;
            case HOURS_OWED -> hoursOwed;
            case HOURS_OWED_IDLE -> hoursOwedIdle;
            case TA_PREFERENCE -> taPreference;
            case INSTRUCTOR_REQUEST -> instructorRequest;
            case EXPERIENCE_MIX -> experienceMix;
            case FAIR_LOAD -> fairLoad;
            case FAIR_LOAD_IDLE -> fairLoadIdle;
            case CONTINUITY -> continuity;
            case PREVIOUS_ASSIGNMENT -> previousAssignment;
            default -> throw new IllegalArgumentException("unknown constraint: " + name);
        };
    }

    /** Replaces the weight of a constraint. */
    public void set(String name, HardMediumSoftLongScore weight) {
        switch (name) {
            case REQUIRED_SKILLS -> requiredSkills = weight;
            case WITHIN_MAX_HOURS -> withinMaxHours = weight;
            case NO_OVERLAPPING_MEETINGS -> noOverlappingMeetings = weight;
            case NOT_WHEN_UNAVAILABLE -> notWhenUnavailable = weight;
            case NO_CONFLICT_OF_INTEREST -> noConflictOfInterest = weight;
            case NO_INSTRUCTOR_BAN -> noInstructorBan = weight;
            case WILL_NOT_RESPECTED -> willNotRespected = weight;
            case ONE_SLOT_PER_COURSE -> oneSlotPerCourse = weight;
            case UNFILLED_SLOT -> unfilledSlot = weight;
            case HOURS_OWED -> hoursOwed = weight;
            case HOURS_OWED_IDLE -> hoursOwedIdle = weight;
            case TA_PREFERENCE -> taPreference = weight;
            case INSTRUCTOR_REQUEST -> instructorRequest = weight;
            case EXPERIENCE_MIX -> experienceMix = weight;
            case FAIR_LOAD -> fairLoad = weight;
            case FAIR_LOAD_IDLE -> fairLoadIdle = weight;
            case CONTINUITY -> continuity = weight;
            case PREVIOUS_ASSIGNMENT -> previousAssignment = weight;
            default -> throw new IllegalArgumentException("unknown constraint: '" + name
                    + "'; known: " + String.join(", ", DEFAULTS.keySet()));
        }
    }
}
