package tapipeline.platform.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed configuration read from, in order of precedence: explicit overrides (tests, the launcher),
 * environment variables, and a properties file (named by {@code TAPIPELINE_CONFIG_FILE}; keys in the
 * file use the same UPPER_SNAKE names). Every key has a documented default ({@link Key}).
 *
 * <p>A bad value fails with a {@link ConfigException} that names the key, the source and the reason,
 * so a service refuses to start rather than running half-configured.
 */
public final class Config {

    /** Names the properties file, if any. Only read from the environment or overrides. */
    public static final String CONFIG_FILE_ENV = "TAPIPELINE_CONFIG_FILE";

    private final Map<String, String> overrides;
    private final Map<String, String> env;
    private final Map<String, String> file;
    private final String fileName;

    private Config(Map<String, String> overrides, Map<String, String> env, Map<String, String> file, String fileName) {
        this.overrides = Map.copyOf(overrides);
        this.env = Map.copyOf(env);
        this.file = Map.copyOf(file);
        this.fileName = fileName;
    }

    /** Configuration from this process's environment and the optional properties file. */
    public static Config fromEnvironment() {
        return from(System.getenv(), Map.of());
    }

    /** Configuration from the given environment and overrides (which win over everything). */
    public static Config from(Map<String, String> env, Map<String, String> overrides) {
        String fileName = Optional.ofNullable(overrides.get(CONFIG_FILE_ENV)).orElse(env.get(CONFIG_FILE_ENV));
        Map<String, String> file = Map.of();
        if (fileName != null && !fileName.isBlank()) {
            file = readProperties(Path.of(fileName));
        }
        return new Config(overrides, env, file, fileName);
    }

    /** Only the given values and defaults: for tests. */
    public static Config of(Map<String, String> values) {
        return new Config(values, Map.of(), Map.of(), null);
    }

    /** A copy with more overrides (e.g. the launcher pointing every service at its broker). */
    public Config with(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(overrides);
        merged.putAll(more);
        return new Config(merged, env, file, fileName);
    }

    public <T> T get(Key<T> key) {
        Source source = lookup(key.name());
        String text = source == null ? key.defaultValue() : source.value();
        try {
            return key.parser().apply(text);
        } catch (IllegalArgumentException e) {
            String where = source == null ? "its default" : source.where();
            throw new ConfigException("configuration key " + key.name() + " (from " + where + "): " + e.getMessage());
        }
    }

    /** The raw text of a key if it was set anywhere (not its default). */
    public Optional<String> raw(String name) {
        Source s = lookup(name);
        return s == null ? Optional.empty() : Optional.of(s.value());
    }

    /**
     * Every key set anywhere whose name starts with {@code prefix}, with its value from the source
     * that wins (overrides, then environment, then the properties file).
     */
    public Map<String, String> prefixed(String prefix) {
        Set<String> names = new TreeSet<>();
        for (Map<String, String> m : List.of(file, env, overrides)) {
            m.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(names::add);
        }
        Map<String, String> result = new LinkedHashMap<>();
        names.forEach(n -> result.put(n, lookup(n).value()));
        return result;
    }

    /** Where a key was set ("environment variable X", "properties file F"), if it was. */
    public Optional<String> whereSet(String name) {
        Source s = lookup(name);
        return s == null ? Optional.empty() : Optional.of(s.where());
    }

    private Source lookup(String name) {
        if (overrides.containsKey(name)) {
            return new Source(overrides.get(name), "an override");
        }
        if (env.containsKey(name)) {
            return new Source(env.get(name), "environment variable " + name);
        }
        if (file.containsKey(name)) {
            return new Source(file.get(name), "properties file " + fileName);
        }
        return null;
    }

    private record Source(String value, String where) {
    }

    private static Map<String, String> readProperties(Path path) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("configuration key " + CONFIG_FILE_ENV + ": cannot read properties file "
                    + path + ": " + e.getMessage());
        }
        Map<String, String> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k.toString().trim(), v.toString().trim()));
        return m;
    }
}
