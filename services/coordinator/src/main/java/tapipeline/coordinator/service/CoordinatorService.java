package tapipeline.coordinator.service;

import java.util.List;
import java.util.Map;

import tapipeline.coordinator.api.DataFeature;
import tapipeline.coordinator.content.ContentStore;
import tapipeline.coordinator.datasets.DatasetStore;
import tapipeline.coordinator.instructors.InstructorsFeature;
import tapipeline.coordinator.runs.DataBridge;
import tapipeline.coordinator.runs.RunsFeature;
import tapipeline.coordinator.scenarios.ScenarioStore;
import tapipeline.coordinator.scenarios.ScenariosFeature;
import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.access.KafkaAccess;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.service.ServiceModule;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.web.Web;

/**
 * The coordinators' service: sign-in, imports and datasets, runs with live progress, review,
 * overrides and approval. It alone writes {@code coordinator.accounts} and
 * {@code coordinator.datasets}, and it takes over run control from {@code bin/solver submit}.
 */
public final class CoordinatorService implements ServiceModule {

    public static final Key<Integer> PORT = Key.integer("COORDINATOR_PORT", 8080, 0, 65535,
            "HTTP port of the coordinator service (web UI, REST API, health, metrics).");
    public static final Key<String> OFFERS_URL = Key.httpUrl("COORDINATOR_OFFERS_URL", "http://localhost:8085",
            "Base URL of the offers service's pages for staff (its /offers and /offers/outbox): the coordinator's"
            + " navigation links there. Empty: no link.");

    /** A started coordinator: its runtime, its web site (whose route table tests walk) and its data half. */
    public record Running(ServiceRuntime runtime, Web web, DataFeature data, RunsFeature runs) implements RunningService {
        @Override
        public String name() {
            return runtime.name();
        }

        @Override
        public Map<String, String> urls() {
            return runtime.urls();
        }

        @Override
        public Map<String, String> frontUrls() {
            return runtime.frontUrls();
        }

        @Override
        public void close() {
            runtime.close();
        }
    }

    @Override
    public String name() {
        return "coordinator";
    }

    /**
     * Its state and the run board replayed; explanations read on demand; run requests, cancels,
     * approvals, accounts and audit written by its producer; datasets and content written under the
     * cluster-wide transactional ids of their LockedWriters.
     */
    @Override
    public KafkaAccess kafkaAccess() {
        return KafkaAccess.builder(name(), "coordinator service: data, runs, review, approval")
                .replays(Topics.DATASETS, Topics.ACCOUNTS, Topics.HANDBOOK_CONTENT, Topics.AUDIT)  // data half
                .replays(Topics.SCENARIOS)                                                         // what-if scenarios
                .replays(Topics.RUN_REQUESTED, Topics.RUN_PROGRESS, Topics.RUN_COMPLETED, Topics.RUN_STATUS,
                        Topics.RUN_CANCEL, Topics.APPROVED, Topics.HANDBOOK_RENDERED, Topics.SITE_LINKS) // run board
                .reads(Topics.RUN_EXPLANATIONS)                                                    // ExplanationsReader
                .replays(Topics.OFFERS_STATE)                                                      // proposals: offers held
                .consumes(Topics.OFFERS_ANSWERED)                                                  // proposals: declines
                .group("coordinator-proposals")
                .writes(Topics.RUN_REQUESTED, Topics.RUN_CANCEL, Topics.APPROVED, Topics.ACCOUNTS, Topics.AUDIT)
                .writes(Topics.DATASETS, Topics.HANDBOOK_CONTENT, Topics.SCENARIOS)               // LockedWriter
                .transactionalId(DatasetStore.WRITER_ID)
                .transactionalId(ContentStore.WRITER_ID)
                .transactionalId(ScenarioStore.WRITER_ID)
                .build();
    }

    @Override
    public List<Key<?>> configKeys() {
        List<Key<?>> keys = new java.util.ArrayList<>(List.of(PORT, OFFERS_URL));
        keys.addAll(DataFeature.configKeys());
        keys.addAll(RunsFeature.configKeys());
        return List.copyOf(keys);
    }

    @Override
    public Running start(Config config) {
        ServiceRuntime runtime = new ServiceRuntime(name(), config);
        try {
            DataFeature data = DataFeature.start(runtime, config);
            RunsFeature runs = RunsFeature.start(runtime, DataBridge.datasets(data), DataBridge.audit(data), () -> {
                try {
                    return data.datasets().awaitReady(java.time.Duration.ZERO);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            data.lastRuns(DataBridge.lastRuns(runs.board()));
            InstructorsFeature instructors = new InstructorsFeature(data.datasets(), data.edits(), runs);
            ScenariosFeature scenarios = ScenariosFeature.start(runtime, data, runs);
            runs.scenarioNames(scenarios::nameOf);
            String offers = offersPage(config.get(OFFERS_URL));
            Web web = runtime.startWeb(config.get(PORT), "Coordinator", site -> {
                data.declare(site);
                runs.declare(site);
                scenarios.declare(site);
                if (offers != null) {
                    // another service (its own sign-in, the same accounts): offers by TA and course, the outbox
                    site.nav("Offers", offers, tapipeline.platform.web.Access.VIEWER);
                }
                instructors.declare(site);
            }, cfg -> {
                data.limits(cfg);
                runs.extra(cfg);
            });
            data.started(runtime.httpBaseUrl());
            runtime.addFrontUrl("coordinator", "/");
            return new Running(runtime, web, data, runs);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** The offers service's staff page under the configured base URL, or null for no link. */
    static String offersPage(String base) {
        return base.isEmpty() ? null : base + "/offers";
    }

    /** Runs the coordinator service alone. */
    public static void main(String[] args) {
        tapipeline.platform.service.ServiceMain.run(new CoordinatorService());
    }
}
