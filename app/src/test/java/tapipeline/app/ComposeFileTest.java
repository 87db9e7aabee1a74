package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import tapipeline.platform.config.Key;
import tapipeline.platform.config.PlatformConfig;
import tapipeline.platform.service.ServiceModule;

/**
 * docker-compose.yml checked without a Docker engine, for what a schema cannot see: every
 * container's command is a real main class of ours, dependencies exist and healthy-dependencies
 * have a health check, every environment variable is a configuration key we read, and every
 * service module is deployed.
 */
class ComposeFileTest {

    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        try (Reader r = Files.newBufferedReader(Path.of("..", "docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(r); // SnakeYAML resolves the << merge keys
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    @Test
    void every_service_module_has_a_container_running_its_main_class() {
        List<String> commands = new ArrayList<>();
        services.values().forEach(s -> commands.add(String.valueOf(command(s).isEmpty() ? "" : command(s).get(0))));
        for (ServiceModule module : ServiceLoader.load(ServiceModule.class)) {
            assertThat(commands).as("a container runs %s", module.name()).contains(module.getClass().getName());
        }
    }

    @Test
    void our_containers_run_public_static_main_methods() throws Exception {
        for (var e : services.entrySet()) {
            if (!isOurs(e.getValue())) {
                continue;
            }
            String mainClass = String.valueOf(command(e.getValue()).get(0));
            Method main = Class.forName(mainClass).getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).as("%s: %s.main is static", e.getKey(), mainClass).isTrue();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void dependencies_exist_and_health_conditions_have_health_checks() {
        for (var e : services.entrySet()) {
            Object dependsOn = e.getValue().get("depends_on");
            if (!(dependsOn instanceof Map<?, ?> deps)) {
                continue;
            }
            for (var d : ((Map<String, Map<String, Object>>) deps).entrySet()) {
                assertThat(services).as("%s depends on %s", e.getKey(), d.getKey()).containsKey(d.getKey());
                if ("service_healthy".equals(d.getValue().get("condition"))) {
                    assertThat(services.get(d.getKey())).as("%s has a healthcheck", d.getKey()).containsKey("healthcheck");
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void our_containers_only_set_configuration_keys_we_read_and_reach_the_broker_it_advertises() {
        Set<String> known = new HashSet<>();
        PlatformConfig.keys().forEach(k -> known.add(k.name()));
        for (ServiceModule m : ServiceLoader.load(ServiceModule.class)) {
            m.configKeys().stream().map(Key::name).forEach(known::add);
        }
        String advertised = String.valueOf(((Map<String, Object>) services.get("kafka").get("environment"))
                .get("KAFKA_ADVERTISED_LISTENERS"));
        for (var e : services.entrySet()) {
            if (!isOurs(e.getValue())) {
                continue;
            }
            Map<String, Object> env = (Map<String, Object>) e.getValue().get("environment");
            assertThat(env).as("%s has an environment", e.getKey()).isNotNull();
            assertThat(known).as("%s sets only known keys", e.getKey()).containsAll(env.keySet());
            assertThat(advertised).contains("//" + env.get("KAFKA_BOOTSTRAP_SERVERS"));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> command(Map<String, Object> service) {
        Object c = service.get("command");
        return c instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static boolean isOurs(Map<String, Object> service) {
        return service.containsKey("build");
    }
}
