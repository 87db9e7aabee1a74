package tapipeline.coordinator.runs;

/** Records who did what to which subject, when and why ({@code audit}); the data half owns the writer. */
public interface AuditTrail {

    /**
     * Writes one entry and returns once it is acknowledged.
     *
     * @param reason what the person said (may be null or blank)
     * @param facts  what was done, in words
     */
    void record(String subject, String actor, String action, String reason, String facts);
}
