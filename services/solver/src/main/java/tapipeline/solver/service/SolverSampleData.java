package tapipeline.solver.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.service.SampleData;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.generator.DepartmentGenerator;

/**
 * The demo's first assignment run: the generated sample department (about 60 courses and 180
 * applicants), requested once, when no run was ever requested.
 */
public final class SolverSampleData implements SampleData {

    private static final Logger log = LoggerFactory.getLogger(SolverSampleData.class);
    public static final long SEED = 2027L;

    @Override
    public void load(Config config, KafkaClients clients) throws Exception {
        AssignmentProblem p = sampleRun();
        if (SampleData.publishIfEmpty(clients, EventTypes.RUN_REQUESTED, p)) {
            log.info("requested sample run {} ({} courses, {} applicants)", p.runId(), p.courses().size(),
                    p.applicants().size());
        }
    }

    /** The sample department with a demo-friendly limit: 20 s, or 5 s without improvement. */
    public static AssignmentProblem sampleRun() {
        AssignmentProblem g = DepartmentGenerator.sampleDepartment(SEED);
        return new AssignmentProblem("sample-" + g.term() + "-1", g.term(), g.department(), g.courses(),
                g.applicants(), g.preferences(), g.instructorPreferences(), g.pins(), g.previousAssignment(),
                new SolverSettings(20, 5, SEED, null, java.util.Map.of()));
    }
}
