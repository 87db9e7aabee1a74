package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tapipeline.embedded.ChildJvm;

/** A real launcher process for the process tests: its own JVM, free ports, no sample data, log to a file. */
final class LauncherProcess {

    private LauncherProcess() {
    }

    /**
     * Starts {@code Launcher --data-dir data --no-sample-data} in a child JVM.
     *
     * @param env    settings added to the child's environment (KAFKA_BOOTSTRAP_SERVERS is always removed)
     * @param prefix command words before {@code java}, e.g. {@code setsid}
     */
    static Process start(Path data, Path logFile, String heap, Map<String, String> env, String... prefix)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(prefix));
        cmd.addAll(List.of(ChildJvm.javaBinary(), "-Xmx" + heap, "-cp", ChildJvm.classpathString(),
                Launcher.class.getName(), "--data-dir", data.toString(), "--no-sample-data"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> childEnv = pb.environment();
        childEnv.put("EMBEDDED_KAFKA_PORT", "0");
        childEnv.put("SOLVER_PORT", "0");
        childEnv.put("HANDBOOK_PORT", "0");
        childEnv.put("SITE_PORT", "0");
        childEnv.putAll(env);
        childEnv.remove("KAFKA_BOOTSTRAP_SERVERS");
        return pb.start();
    }

    /** Waits (up to 120 s) for the launcher to say it is running; returns its broker's bootstrap servers. */
    static String awaitBootstrap(Process p, Path logFile) throws Exception {
        Pattern ready = Pattern.compile("Kafka bootstrap servers\\s+(\\S+)");
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            assertThat(p.isAlive()).as("launcher running; log %s", logFile).isTrue();
            if (Files.exists(logFile)) {
                String log = Files.readString(logFile);
                Matcher m = ready.matcher(log);
                if (log.contains("is running") && m.find()) {
                    return m.group(1);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("launcher did not start within 120 s; see " + logFile);
    }
}
