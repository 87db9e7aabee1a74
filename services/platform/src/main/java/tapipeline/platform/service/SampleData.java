package tapipeline.platform.service;

import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.KafkaClients;

/**
 * Sample data a module contributes to the one-command demo (found through
 * {@link java.util.ServiceLoader}). Loading must be idempotent: publish only what the log does not
 * already hold, so a restart neither duplicates work nor overwrites a coordinator's edits.
 */
public interface SampleData {

    void load(Config config, KafkaClients clients) throws Exception;
}
