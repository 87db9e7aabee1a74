package tapipeline.coordinator.service;

import java.util.List;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.service.ServiceModule;
import tapipeline.platform.service.ServiceRuntime;

/**
 * The coordinators' service: sign-in, imports and datasets, runs with live progress, review,
 * overrides and approval. It alone writes {@code coordinator.accounts} and
 * {@code coordinator.datasets}, and it takes over run control from {@code bin/solver submit}.
 */
public final class CoordinatorService implements ServiceModule {

    public static final Key<Integer> PORT = Key.integer("COORDINATOR_PORT", 8080, 0, 65535,
            "HTTP port of the coordinator service (web UI, REST API, health, metrics).");

    @Override
    public String name() {
        return "coordinator";
    }

    @Override
    public List<Key<?>> configKeys() {
        List<Key<?>> keys = new java.util.ArrayList<>(List.of(PORT));
        keys.addAll(tapipeline.coordinator.runs.RunsFeature.configKeys());
        return keys;
    }

    @Override
    public RunningService start(Config config) {
        ServiceRuntime runtime = new ServiceRuntime(name(), config);
        try {
            var runs = tapipeline.coordinator.runs.RunsFeature.start(runtime, null, null);
            runtime.startWeb(config.get(PORT), "Coordinator", runs::declare, runs::extra);
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** Runs the coordinator service alone. */
    public static void main(String[] args) {
        tapipeline.platform.service.ServiceMain.run(new CoordinatorService());
    }
}
