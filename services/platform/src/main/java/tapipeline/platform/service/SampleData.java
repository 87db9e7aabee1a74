package tapipeline.platform.service;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.schemas.EventType;

/**
 * Sample data a module contributes to the one-command demo (found through
 * {@link java.util.ServiceLoader}). Loading must be idempotent: publish only what the log does not
 * already hold ({@link #publishIfEmpty}), so a restart neither duplicates work nor overwrites a
 * coordinator's edits.
 */
public interface SampleData {

    void load(Config config, KafkaClients clients) throws Exception;

    /** Lines the launcher prints with its URLs after loading (label → value), e.g. sample sign-ins. */
    default java.util.Map<String, String> banner() {
        return java.util.Map.of();
    }

    /**
     * Publishes one event to its type's topic, keyed by the payload, only if that topic holds no
     * record yet. Returns whether it published.
     */
    static <T> boolean publishIfEmpty(KafkaClients clients, EventType<T> type, T payload) throws Exception {
        try (Admin admin = clients.admin()) {
            if (new TopicAdmin(admin, 1, (short) 1).recordCount(type.topic()) > 0) {
                return false;
            }
        }
        String key = type.keyOf(payload);
        try (KafkaProducer<String, byte[]> producer = clients.producer("sample-data")) {
            Events.send(producer, type, key, payload).get(30, TimeUnit.SECONDS);
        }
        LoggerFactory.getLogger(SampleData.class).info("published sample {} ({})", type.name(), key);
        return true;
    }
}
