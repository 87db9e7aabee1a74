package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.testing.TestRecords;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;

/**
 * The launcher as a user runs it: a separate process, stopped by a signal (what Ctrl-C sends the
 * JVM's shutdown hooks), leaves no broker behind, closes every client before the broker, and on the
 * next start still holds what was written before.
 */
class LauncherProcessIT {

    @Test
    void a_signal_stops_services_then_the_broker_and_a_restart_keeps_the_data(@TempDir Path data) throws Exception {
        Path firstLog = data.resolve("first.log");
        Process first = LauncherProcess.start(data, firstLog, "512m", Map.of());
        String bootstrap = LauncherProcess.awaitBootstrap(first, firstLog);
        KafkaClients clients = new KafkaClients(bootstrap);
        try (KafkaProducer<String, byte[]> p = clients.producer("launcher-it")) {
            Events.send(p, EventTypes.AUDIT, "before-stop", new AuditEntry("before-stop", "it", "write", "kept?",
                    Instant.parse("2027-01-10T09:00:00Z"))).get(10, TimeUnit.SECONDS);
        }

        first.destroy(); // SIGTERM: runs the shutdown hooks, like Ctrl-C
        assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("launcher stopped").isTrue();
        String log = Files.readString(firstLog);
        assertThat(log).contains("Stopping...");
        assertThat(log).as("no client lost its broker while closing")
                .doesNotContain("could not be established").doesNotContain("Bootstrap broker");
        assertThat(brokersUsing(data)).as("no broker left running").isEmpty();

        Path secondLog = data.resolve("second.log");
        Process second = LauncherProcess.start(data, secondLog, "512m", Map.of());
        try {
            assertThat(LauncherProcess.awaitBootstrap(second, secondLog)).isEqualTo(bootstrap);
            assertThat(TestRecords.readAll(bootstrap, "audit", java.time.Duration.ofSeconds(30)))
                    .anySatisfy(r -> assertThat(r.key()).isEqualTo("before-stop"));
        } finally {
            second.destroy();
            second.waitFor(90, TimeUnit.SECONDS);
        }
        assertThat(brokersUsing(data)).isEmpty();
    }

    /**
     * Ctrl-C in a terminal signals the whole foreground process group, the embedded broker's JVM
     * included unless it runs in a session of its own: then the broker went down while the services
     * were still closing ("Connection to node 1 could not be established", failed group leaves).
     * Here the launcher leads a process group of its own (util-linux {@code setsid}) and the group
     * gets SIGINT, as from a terminal.
     */
    @Test
    void ctrl_c_to_the_whole_process_group_still_stops_the_services_before_the_broker(@TempDir Path data) throws Exception {
        Path setsid = Path.of("/usr/bin/setsid");
        assumeTrue(Files.isExecutable(setsid),
                "needs util-linux setsid to give the launcher a process group of its own");
        Path logFile = data.resolve("group.log");
        Process launcher = LauncherProcess.start(data, logFile, "512m", Map.of(), setsid.toString());
        LauncherProcess.awaitBootstrap(launcher, logFile);
        assertThat(brokersUsing(data)).as("the broker runs beside the launcher").isNotEmpty();

        // setsid execs the launcher in place (a child of this JVM is no group leader), so its pid is the group id
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + launcher.pid()).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("SIGINT sent to the group").isTrue();
        assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("launcher stopped").isTrue();
        String log = Files.readString(logFile);
        assertThat(log).contains("Stopping...");
        assertThat(log).as("no client lost its broker while closing")
                .doesNotContain("could not be established").doesNotContain("LeaveGroup");
        long deadline = System.currentTimeMillis() + 30_000;
        while (!brokersUsing(data).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(brokersUsing(data)).as("no broker left running").isEmpty();
    }

    private static List<ProcessHandle> brokersUsing(Path data) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().orElse("").contains(data.toString())).toList();
    }
}
