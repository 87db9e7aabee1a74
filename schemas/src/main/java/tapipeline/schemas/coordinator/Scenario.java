package tapipeline.schemas.coordinator;

import java.time.Instant;

import tapipeline.schemas.support.Checks;

/**
 * A what-if scenario: a named copy of a term's dataset that can be edited and solved without
 * touching the term's own data or its approved plan (payload of {@code coordinator.scenarios},
 * keyed by scenarioId, compacted; a tombstone deletes it).
 *
 * @param baseVersion the version of the term's dataset it was copied from
 * @param dataset     the scenario's data (its {@code term} is the real term; its version counts the
 *                    scenario's own edits from 1)
 */
public record Scenario(String scenarioId, String term, String name, String description, String createdBy,
                       Instant createdAt, long baseVersion, Dataset dataset) {

    public Scenario {
        Checks.id(scenarioId, "Scenario.scenarioId");
        Checks.text(term, "Scenario.term");
        Checks.text(name, "Scenario.name");
        if (name.length() > 200) {
            throw new IllegalArgumentException("Scenario.name must be at most 200 characters");
        }
        Checks.anyText(description, "Scenario.description");
        Checks.text(createdBy, "Scenario.createdBy");
        Checks.nonNull(createdAt, "Scenario.createdAt");
        Checks.atLeast(baseVersion, 1, "Scenario.baseVersion");
        Checks.nonNull(dataset, "Scenario.dataset");
        if (!dataset.term().equals(term)) {
            throw new IllegalArgumentException("Scenario.dataset.term (" + dataset.term() + ") must be the scenario's term (" + term + ")");
        }
    }
}
