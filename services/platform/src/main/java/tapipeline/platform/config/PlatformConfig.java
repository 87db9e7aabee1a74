package tapipeline.platform.config;

import java.nio.file.Path;
import java.util.List;

/** The keys every service shares. Services declare their own keys beside their code. */
public final class PlatformConfig {

    public static final Key<String> KAFKA_BOOTSTRAP_SERVERS = Key.string("KAFKA_BOOTSTRAP_SERVERS", "",
            "Kafka brokers (host:port,...). Empty: the launcher starts an embedded single-node KRaft broker.");
    public static final Key<String> KAFKA_CLIENT_CONFIG_FILE = Key.string("KAFKA_CLIENT_CONFIG_FILE", "",
            "A Kafka client properties file (the format of kafka-console-producer's --command-config) applied to every producer, consumer and admin client; KAFKA_CLIENT_* keys win over it.");
    public static final Key<Integer> EMBEDDED_KAFKA_PORT = Key.integer("EMBEDDED_KAFKA_PORT", 9092, 0, 65535,
            "Port of the embedded broker the launcher starts (0 picks a free port).");
    public static final Key<Path> DATA_DIR = Key.path("DATA_DIR", "data",
            "Directory for the embedded broker's log and local caches; kept between runs.");
    public static final Key<String> HTTP_HOST = Key.string("HTTP_HOST", "127.0.0.1",
            "Interface the HTTP servers bind to (0.0.0.0 in containers).");
    public static final Key<Integer> TOPIC_PARTITIONS = Key.integer("TOPIC_PARTITIONS", 3, 1, 1000,
            "Partitions for new topics (compacted state topics and event topics alike).");
    public static final Key<Integer> TOPIC_REPLICATION = Key.integer("TOPIC_REPLICATION", 1, 1, 7,
            "Replication factor for new topics (3 on a real cluster).");
    public static final Key<String> INSTANCE_ID = Key.string("INSTANCE_ID", "0",
            "Stable id of this service instance; part of its transactional.id, so a restarted instance fences its zombie.");
    public static final Key<Integer> CONSUMER_MAX_ATTEMPTS = Key.integer("CONSUMER_MAX_ATTEMPTS", 4, 1, 100,
            "Attempts at one record (first try + retries) before it goes to the dead-letter topic.");
    public static final Key<Long> CONSUMER_RETRY_BACKOFF_MS = Key.longValue("CONSUMER_RETRY_BACKOFF_MS", 200, 0, 60_000,
            "First retry delay; doubles per attempt, capped at 5 s.");

    public static final Key<String> PUBLIC_SITE_URL = Key.string("PUBLIC_SITE_URL", "http://localhost:8081/",
            "Public site base URL: the handbook's site-relative links are made absolute against it, and the"
            + " coordinator links to published pages with it.");

    private PlatformConfig() {
    }

    /** Every platform key, for the README table and its test. */
    public static List<Key<?>> keys() {
        List<Key<?>> keys = new java.util.ArrayList<>(List.of(KAFKA_BOOTSTRAP_SERVERS, KAFKA_CLIENT_CONFIG_FILE,
                EMBEDDED_KAFKA_PORT, DATA_DIR, HTTP_HOST, TOPIC_PARTITIONS, TOPIC_REPLICATION, INSTANCE_ID,
                CONSUMER_MAX_ATTEMPTS, CONSUMER_RETRY_BACKOFF_MS, PUBLIC_SITE_URL));
        keys.addAll(tapipeline.platform.web.WebConfig.keys());
        return List.copyOf(keys);
    }
}
