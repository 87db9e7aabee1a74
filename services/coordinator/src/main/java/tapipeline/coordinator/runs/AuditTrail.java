package tapipeline.coordinator.runs;

/** Records who did what to which subject, when and why ({@code audit}); the data half owns the writer. */
public interface AuditTrail {

    /** Writes one entry and returns once it is acknowledged. */
    void record(String subject, String actor, String action, String detail);
}
