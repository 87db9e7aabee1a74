package tapipeline.platform.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.ConfigException;
import tapipeline.platform.config.PlatformConfig;

/**
 * Kafka client properties an operator sets for every producer, consumer and admin client the
 * platform makes: {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, timeouts and the like.
 *
 * <p>Two sources, the second winning: a client properties file named by
 * {@code KAFKA_CLIENT_CONFIG_FILE} (the Java properties format that Kafka's own tools take with
 * {@code --command-config}), and {@code KAFKA_CLIENT_*} configuration keys (environment variables,
 * or keys in {@code TAPIPELINE_CONFIG_FILE}). A key's name maps to a property name as in
 * Confluent's and Bitnami's images: drop the prefix, lower-case, {@code ___} becomes {@code -},
 * {@code __} becomes {@code _}, {@code _} becomes {@code .}; so {@code KAFKA_CLIENT_SASL_JAAS_CONFIG}
 * is {@code sasl.jaas.config}. An empty value counts as unset, so that a compose file can pass a
 * variable through ({@code KAFKA_CLIENT_SASL_JAAS_CONFIG: ${KAFKA_CLIENT_SASL_JAAS_CONFIG:-}}).
 *
 * <p>Checked at start-up, with an error naming the property and where it was set: the name must be
 * a property of Kafka's producer, consumer or admin client (their {@link ConfigDef}s); the value
 * must parse as that property's type and pass its validator; and properties the platform's
 * guarantees rest on ({@link #PLATFORM_OWNED}) cannot be set. Each client gets only the properties
 * its own ConfigDef knows (so {@code max.poll.records} reaches consumers only).
 *
 * <p>Secrets (properties of Kafka's {@code PASSWORD} type such as {@code sasl.jaas.config} and
 * {@code ssl.*.password}) are never shown: {@link #toString()} and every error message print
 * {@code [hidden]} instead, and Kafka's own config log does the same for them.
 */
public final class ClientProperties {

    /** Prefix of the configuration keys that carry client properties. */
    public static final String KEY_PREFIX = "KAFKA_CLIENT_";

    /** Shown instead of a secret value. */
    public static final String HIDDEN = "[hidden]";

    /** Properties the platform sets itself, with the reason an operator may not change them. */
    public static final Map<String, String> PLATFORM_OWNED = platformOwned();

    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    private static final ConfigDef CONSUMER = ConsumerConfig.configDef();
    private static final ConfigDef ADMIN = AdminClientConfig.configDef();

    private static final ClientProperties NONE = new ClientProperties(Map.of());

    /** property name -> value, in a stable order. */
    private final Map<String, String> values;

    private ClientProperties(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** No extra properties: a plaintext cluster with Kafka's defaults. */
    public static ClientProperties none() {
        return NONE;
    }

    /**
     * The properties configured in {@code config}: the file named by {@code KAFKA_CLIENT_CONFIG_FILE},
     * then every {@code KAFKA_CLIENT_*} key over it.
     *
     * @throws ConfigException naming the property and its source if any is unknown, owned by the
     *     platform, or has a bad value, or if the file cannot be read
     */
    public static ClientProperties from(Config config) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        String fileName = config.get(PlatformConfig.KAFKA_CLIENT_CONFIG_FILE);
        if (!fileName.isBlank()) {
            readFile(Path.of(fileName)).forEach((name, value) -> {
                if (value.isBlank()) {
                    return;
                }
                values.put(name, value);
                sources.put(name, "client properties file " + fileName + " (" + PlatformConfig.KAFKA_CLIENT_CONFIG_FILE.name() + ")");
            });
        }
        config.prefixed(KEY_PREFIX).forEach((key, value) -> {
            if (key.equals(PlatformConfig.KAFKA_CLIENT_CONFIG_FILE.name()) || value.isBlank()) {
                return;
            }
            String name = propertyName(key);
            values.put(name, value);
            String where = config.whereSet(key).orElse(key);
            sources.put(name, where.contains(key) ? where : where + " (" + key + ")");
        });
        return of(values, sources);
    }

    /** Properties given directly (tests, tools); checked like {@link #from(Config)}. */
    public static ClientProperties of(Map<String, String> properties) {
        Map<String, String> sources = new LinkedHashMap<>();
        properties.keySet().forEach(k -> sources.put(k, "the given client properties"));
        return of(properties, sources);
    }

    private static ClientProperties of(Map<String, String> values, Map<String, String> sources) {
        if (values.isEmpty()) {
            return NONE;
        }
        values.forEach((name, value) -> check(name, value, sources.get(name)));
        return new ClientProperties(values);
    }

    /**
     * The property a {@code KAFKA_CLIENT_*} key sets: {@code KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION}
     * is {@code ssl.truststore.location}; {@code __} stands for {@code _} and {@code ___} for {@code -}.
     */
    public static String propertyName(String key) {
        if (!key.startsWith(KEY_PREFIX) || key.length() == KEY_PREFIX.length()) {
            throw new IllegalArgumentException("not a " + KEY_PREFIX + "* key: " + key);
        }
        return key.substring(KEY_PREFIX.length()).toLowerCase(Locale.ROOT)
                .replace("___", "\u0001").replace("__", "\u0002").replace('_', '.')
                .replace('\u0001', '-').replace('\u0002', '_');
    }

    /** Whether a property holds a secret (Kafka's PASSWORD type, or a name that says so). */
    public static boolean isSecret(String name) {
        for (ConfigDef def : List.of(PRODUCER, CONSUMER, ADMIN)) {
            ConfigDef.ConfigKey key = def.configKeys().get(name);
            if (key != null && key.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("password") || n.contains("jaas") || n.contains("secret");
    }

    /** Whether a name is a property of Kafka's producer, consumer or admin client. */
    public static boolean isClientProperty(String name) {
        return PRODUCER.names().contains(name) || CONSUMER.names().contains(name) || ADMIN.names().contains(name);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Names of the properties set (no values: some are secrets). */
    public Set<String> names() {
        return values.keySet();
    }

    /** The ones a producer knows, to put into its configuration. */
    public Map<String, Object> forProducer() {
        return known(PRODUCER);
    }

    /** The ones a consumer knows. */
    public Map<String, Object> forConsumer() {
        return known(CONSUMER);
    }

    /** The ones an admin client knows. */
    public Map<String, Object> forAdmin() {
        return known(ADMIN);
    }

    /** {@code name=value, ...} with every secret shown as {@value #HIDDEN}: safe to log. */
    @Override
    public String toString() {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? HIDDEN : e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private Map<String, Object> known(ConfigDef def) {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (def.names().contains(name)) {
                m.put(name, value);
            }
        });
        return m;
    }

    private static void check(String name, String value, String where) {
        String owned = PLATFORM_OWNED.get(name);
        if (owned != null) {
            throw new ConfigException("Kafka client property " + name + " (from " + where + ") cannot be set: " + owned);
        }
        if (!isClientProperty(name)) {
            throw new ConfigException("Kafka client property " + name + " (from " + where + ") is not a property of"
                    + " Kafka's producer, consumer or admin client (the names Kafka documents, e.g. security.protocol)");
        }
        for (ConfigDef def : List.of(PRODUCER, CONSUMER, ADMIN)) {
            ConfigDef.ConfigKey key = def.configKeys().get(name);
            if (key == null) {
                continue;
            }
            try {
                Object parsed = ConfigDef.parseType(name, value, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(name, parsed);
                }
            } catch (org.apache.kafka.common.config.ConfigException e) {
                String shown = isSecret(name) ? "a value that is not a valid " + key.type.toString().toLowerCase(Locale.ROOT)
                        : "'" + value + "': " + e.getMessage();
                throw new ConfigException("Kafka client property " + name + " (from " + where + "): " + shown);
            }
            return;
        }
    }

    private static Map<String, String> readFile(Path path) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("configuration key " + PlatformConfig.KAFKA_CLIENT_CONFIG_FILE.name()
                    + ": cannot read the client properties file " + path + ": " + e.getMessage());
        }
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> m.put(k.trim(), p.getProperty(k).trim()));
        return m;
    }

    private static Map<String, String> platformOwned() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bootstrap.servers", "use " + PlatformConfig.KAFKA_BOOTSTRAP_SERVERS.name());
        m.put("client.id", "the platform names each client (metrics and logs tell them apart)");
        m.put("group.id", "each loop has its own consumer group");
        m.put("group.instance.id", "one value for every consumer of a process would fence them against each other");
        m.put("transactional.id", "set per instance from " + PlatformConfig.INSTANCE_ID.name());
        m.put("key.serializer", "keys are strings");
        m.put("value.serializer", "values are the bytes of a JSON envelope");
        m.put("key.deserializer", "keys are strings");
        m.put("value.deserializer", "values are the bytes of a JSON envelope");
        m.put("enable.auto.commit", "the loops commit offsets only after a record is handled");
        m.put("auto.offset.reset", "the loops and replays read from the earliest offset");
        m.put("isolation.level", "consumers read committed records only (exactly-once)");
        m.put("enable.idempotence", "producers are idempotent (no duplicates on retry)");
        m.put("acks", "producers wait for all in-sync replicas (acks=all)");
        return Collections.unmodifiableMap(m);
    }
}
