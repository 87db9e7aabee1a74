package tapipeline.platform.kafka;

/**
 * What a component does when it meets an error it cannot recover from (a loop whose handler threw a
 * fatal error, a producer that cannot be recreated, an authorization failure). A loop marks itself
 * FAILED, logs the details and then calls its hook. In a service process the hook stops the process
 * with a non-zero status so that its supervisor restarts it ({@code ServiceRuntime} wires
 * {@code ProcessExit}); tests pass their own hook.
 */
@FunctionalInterface
public interface FatalErrorHook {

    /** Leaves the component stopped (FAILED in /health) and does nothing more: for tests and tools. */
    FatalErrorHook NONE = (component, error) -> { };

    /**
     * Called once, on the failing component's thread, after it has logged the details. Must not block
     * for long: the component still has to release its clients.
     *
     * @param component what failed, e.g. "service solver, loop solver-requests"
     */
    void fatal(String component, Throwable error);
}
