package tapipeline.platform.kafka;

/** Lifecycle of a consumer loop, shown by /health. */
public enum LoopState { NEW, RUNNING, STOPPED, FAILED }
