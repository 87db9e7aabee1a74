package tapipeline.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tapipeline.embedded.ChildJvm;

/**
 * One instance of one service as its own JVM process, as a container would run it: the service's
 * {@code main} ({@code ServiceMain}), configuration only from the environment, its HTTP port chosen
 * by the service (port 0) and read from its log, its output in a log file. The child exits when this
 * JVM dies ({@link ServiceProcessMain}), so no instance outlives a killed test.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Pattern HEALTH_URL = Pattern.compile("health: (http://\\S+)/health");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String service;
    private final String instanceId;
    private final Path log;
    private final Process process;
    private final OutputStream ownerPipe;
    private volatile String baseUrl;

    private ServiceProcess(String service, String instanceId, Path log, Process process) {
        this.service = service;
        this.instanceId = instanceId;
        this.log = log;
        this.process = process;
        this.ownerPipe = process.getOutputStream();
    }

    /**
     * Starts {@code mainClass} in a new JVM with this JVM's classpath.
     *
     * @param env added to the child's environment (which otherwise inherits this one's, minus any
     *            KAFKA_* and service settings that would leak into it)
     */
    public static ServiceProcess start(String service, String instanceId, String mainClass, Map<String, String> env,
                                       List<String> jvmOptions, Path logDir) {
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(instanceId + ".log");
            List<String> cmd = new ArrayList<>();
            cmd.add(ChildJvm.javaBinary());
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-cp", ChildJvm.classpathString(), ServiceProcessMain.class.getName(), mainClass));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> childEnv = pb.environment();
            childEnv.keySet().removeIf(k -> k.startsWith("KAFKA_") || k.endsWith("_PORT") || k.equals("INSTANCE_ID"));
            childEnv.putAll(env);
            childEnv.put("INSTANCE_ID", instanceId);
            Files.writeString(log, "---- " + java.time.Instant.now() + " starting " + instanceId + " (" + mainClass + ")\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return new ServiceProcess(service, instanceId, log, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + instanceId, e);
        }
    }

    public String service() {
        return service;
    }

    public String instanceId() {
        return instanceId;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The log so far (this instance's and any earlier run's lines in the same file). */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>} once the service has logged its health URL. */
    public Optional<String> baseUrl() {
        if (baseUrl == null) {
            Matcher m = HEALTH_URL.matcher(logText());
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            baseUrl = last;
        }
        return Optional.ofNullable(baseUrl);
    }

    /** Waits until {@code /health} answers 200; fails naming the log when the process dies or time runs out. */
    public ServiceProcess awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastStatus = "no health URL in the log yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(instanceId + " exited with status " + process.exitValue() + "; see " + log);
            }
            Optional<String> base = baseUrl();
            if (base.isPresent()) {
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base.get() + "/health"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return this;
                    }
                    lastStatus = r.statusCode() + " " + r.body();
                } catch (IOException e) {
                    lastStatus = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            sleep(250);
        }
        throw new IllegalStateException(instanceId + " not healthy within " + timeout + " (" + lastStatus + "); see " + log);
    }

    /** SIGKILL: no shutdown hook runs, nothing is handed back. Waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM: the service's shutdown hook stops it cleanly; SIGKILL after {@code timeout}. */
    public void stop(Duration timeout) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(timeout)) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
        try {
            ownerPipe.close();
        } catch (IOException e) {
            // the child is gone already
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return instanceId + " (pid " + process.pid() + ")";
    }
}
