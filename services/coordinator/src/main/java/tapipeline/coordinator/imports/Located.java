package tapipeline.coordinator.imports;

/** An imported item and where it came from. */
public record Located<T>(T value, Where where) {
}
