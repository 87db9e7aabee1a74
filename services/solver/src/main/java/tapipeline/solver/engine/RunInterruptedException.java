package tapipeline.solver.engine;

/**
 * A solve that was interrupted ({@link CancellationToken#interrupt}): the run has no result and must
 * not be reported as completed; its request is handed back so it is read and solved again.
 */
public final class RunInterruptedException extends RuntimeException {

    private final String runId;

    public RunInterruptedException(String runId, String reason) {
        super("run " + runId + " was interrupted: " + reason);
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
