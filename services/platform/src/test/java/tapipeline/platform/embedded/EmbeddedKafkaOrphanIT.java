package tapipeline.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.embedded.BrokerProcessMain;
import tapipeline.embedded.ChildJvm;
import tapipeline.embedded.EmbeddedKafka;

/**
 * No orphan broker: when the JVM that owns an embedded broker is killed with SIGKILL (no shutdown
 * hook runs), the broker notices its closed stdin and exits on its own, cleanly.
 */
class EmbeddedKafkaOrphanIT {

    @TempDir
    Path dataDir;

    @Test
    void brokerExitsWhenItsOwnerIsKilledWithSigkill() throws Exception {
        Process owner = startOwner();
        try {
            long brokerPid = brokerPidOf(owner);
            ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();
            assertThat(broker.isAlive()).isTrue();
            assertThat(broker.parent().map(ProcessHandle::pid)).hasValue(owner.pid());
            assertThat(Files.readString(dataDir.resolve(EmbeddedKafka.PID_FILE)).trim()).isEqualTo(Long.toString(brokerPid));

            owner.destroyForcibly(); // SIGKILL on Unix: the owner's shutdown hook does not run
            assertThat(owner.waitFor(10, TimeUnit.SECONDS)).isTrue();

            long start = System.nanoTime();
            boolean exited;
            try {
                broker.onExit().get(15, TimeUnit.SECONDS);
                exited = true;
            } catch (java.util.concurrent.TimeoutException e) {
                exited = false;
                broker.destroyForcibly();
            }
            assertThat(exited).as("broker pid %d exited within 15 s of its owner's SIGKILL", brokerPid).isTrue();
            System.out.printf("broker exited %d ms after its owner was killed%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(Files.readString(dataDir.resolve(EmbeddedKafka.LOG_FILE)))
                    .contains(BrokerProcessMain.OWNER_GONE_MESSAGE)
                    .contains("shut down completed");
        } finally {
            owner.destroyForcibly();
        }

        // the stale pid file does not stop a new owner from using the directory
        try (EmbeddedKafka again = EmbeddedKafka.builder().dataDir(dataDir).build().start()) {
            assertThat(again.isRunning()).isTrue();
        }
    }

    /**
     * A broker that outlived its owner and cannot notice (here: frozen with SIGSTOP before the
     * owner is killed) is killed by the next start on the same data directory.
     */
    @Test
    void nextStartKillsAStaleBrokerLeftOnTheSameDataDirectory() throws Exception {
        Process owner = startOwner();
        long brokerPid;
        try {
            brokerPid = brokerPidOf(owner);
            signal("STOP", brokerPid);
            owner.destroyForcibly();
            assertThat(owner.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            owner.destroyForcibly();
        }
        ProcessHandle stale = ProcessHandle.of(brokerPid).orElseThrow();
        try {
            assertThat(stale.isAlive()).as("frozen broker still alive after its owner died").isTrue();
            try (EmbeddedKafka next = EmbeddedKafka.builder().dataDir(dataDir)
                    .shutdownTimeout(java.time.Duration.ofSeconds(3)).build().start()) {
                assertThat(stale.isAlive()).as("stale broker pid %d", brokerPid).isFalse();
                assertThat(next.pid().orElseThrow()).isNotEqualTo(brokerPid);
                assertThat(Files.readString(dataDir.resolve(EmbeddedKafka.PID_FILE)).trim())
                        .isEqualTo(Long.toString(next.pid().orElseThrow()));
            }
        } finally {
            stale.destroyForcibly();
        }
    }

    private Process startOwner() throws java.io.IOException {
        return new ProcessBuilder(ChildJvm.javaBinary(), "-Xmx256m",
                "-Dlogback.configurationFile=" + writeQuietLogback(),
                "-cp", ChildJvm.classpathString(), BrokerOwnerMain.class.getName(), dataDir.toString())
                .redirectErrorStream(true)
                .start();
    }

    private static long brokerPidOf(Process owner) throws Exception {
        List<String> ownerOutput = new ArrayList<>();
        return CompletableFuture.supplyAsync(() -> readBrokerPid(owner, ownerOutput)).get(120, TimeUnit.SECONDS);
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s %d", signal, pid).isTrue();
    }

    private static long readBrokerPid(Process owner, List<String> output) {
        // not closed here: a daemon thread keeps draining it after the pid is found
        BufferedReader reader = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                if (line.startsWith(BrokerOwnerMain.PID_PREFIX)) {
                    long pid = Long.parseLong(line.substring(BrokerOwnerMain.PID_PREFIX.length()).trim());
                    // keep draining so the owner never blocks on a full pipe
                    Thread drain = new Thread(() -> {
                        try {
                            while (reader.readLine() != null) {
                                // discard
                            }
                        } catch (java.io.IOException e) {
                            // owner gone
                        }
                    });
                    drain.setDaemon(true);
                    drain.start();
                    return pid;
                }
            }
            throw new IllegalStateException("the owner exited without starting a broker:\n" + String.join("\n", output));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path writeQuietLogback() throws java.io.IOException {
        Path file = dataDir.resolve("owner-logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d %-5level %logger{20} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.kafka" level="WARN"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        return file;
    }
}
