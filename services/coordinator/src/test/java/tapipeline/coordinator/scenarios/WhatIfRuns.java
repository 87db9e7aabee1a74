package tapipeline.coordinator.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;

import tapipeline.platform.kafka.Events;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.RunCompleted;

/**
 * Completed results written by a test in place of the solver service (a service never depends on another;
 * app/'s WhatIfIT solves with the real solver): each course's slots filled in order by applicants taken
 * round-robin from {@code offset}, every {@code skip}-th slot left empty.
 */
final class WhatIfRuns {

    private WhatIfRuns() {
    }

    static RunCompleted fill(AssignmentProblem p, int offset, int skip) {
        List<RunCompleted.Assignment> assignments = new ArrayList<>();
        List<RunCompleted.UnassignedSlot> unassigned = new ArrayList<>();
        RunCompleted.Explanation why = new RunCompleted.Explanation("chosen by the test", List.of(), List.of());
        int next = offset;
        int n = 0;
        for (Course c : p.courses()) {
            for (int i = 0; i < c.slots(); i++) {
                n++;
                if (skip > 0 && n % skip == 0) {
                    unassigned.add(new RunCompleted.UnassignedSlot(c.id(), i, "left empty by the test", List.of()));
                    continue;
                }
                String ta = p.applicants().get(next++ % p.applicants().size()).id();
                assignments.add(new RunCompleted.Assignment(c.id(), i, ta, false, why));
            }
        }
        String score = "0hard/" + (-unassigned.size()) + "medium/" + (-10 * offset) + "soft";
        return new RunCompleted(p.runId(), RunCompleted.Status.SOLVED, score, List.of(
                new RunCompleted.ConstraintScore("Unfilled slots", "0hard/" + (-unassigned.size()) + "medium/0soft", unassigned.size()),
                new RunCompleted.ConstraintScore("Preferences", "0hard/0medium/" + (-10 * offset) + "soft", offset)),
                assignments, unassigned, List.of(), 100, 42);
    }

    static void complete(KafkaProducer<String, byte[]> producer, RunCompleted result) throws Exception {
        Events.send(producer, EventTypes.RUN_COMPLETED, result.runId(), result).get(30, TimeUnit.SECONDS);
    }
}
