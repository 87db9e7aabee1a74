package tapipeline.platform.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@link ProcessExit} in a child JVM (it ends the process it runs in): a fatal error runs the
 * shutdown hooks, then exits with status 70 and a log line naming the component.
 */
class ProcessExitTest {

    /**
     * The child: installs ProcessExit, reports a fatal error from a worker thread, and has a shutdown
     * hook that waits for that worker, as the services' close does for their loop threads. Had the
     * exit run on the failing thread, the hook would wait for it forever (until the halt, after the
     * test's deadline).
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            ProcessExit.install();
            Thread worker = new Thread(() -> {
                ProcessExit.current().fatal("service demo, loop demo-requests", new IllegalStateException("broken"));
                System.out.println("worker returned");
            }, "worker");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("shutdown hook ran");
            }));
            worker.start();
            Thread.sleep(20_000); // a JVM that would look alive; the exit must not wait for this
            System.out.println("still running");
        }
    }

    @Test
    void a_fatal_error_runs_the_shutdown_hooks_and_exits_with_status_70() throws Exception {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName()))
                .redirectErrorStream(true).start();
        String out;
        try {
            assertThat(child.waitFor(15, TimeUnit.SECONDS)).as("the child exits on its own").isTrue();
            out = output(child);
        } finally {
            child.destroyForcibly();
        }

        assertThat(child.exitValue()).isEqualTo(ProcessExit.STATUS);
        assertThat(out).containsSubsequence("worker returned", "shutdown hook ran").doesNotContain("still running")
                .contains("service demo, loop demo-requests cannot go on");
    }

    private static String output(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
