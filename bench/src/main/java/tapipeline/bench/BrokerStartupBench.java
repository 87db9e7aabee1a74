package tapipeline.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tapipeline.embedded.EmbeddedKafka;

/**
 * Benchmark (not a test): how long the embedded broker takes to be ready.
 *
 * <ul>
 *   <li>cold start: new empty data directory, {@code start()} = child JVM + storage format + broker
 *       startup until an AdminClient describeCluster answers;</li>
 *   <li>stop: {@code stop()} = SIGTERM until the process has exited after Kafka's clean shutdown;</li>
 *   <li>warm restart: {@code start()} again on the same, already formatted directory.</li>
 * </ul>
 *
 * Arguments: {@code [--runs N] [output.md]}. Prints a markdown table; with a path, also writes it there.
 */
public final class BrokerStartupBench {

    private BrokerStartupBench() {
    }

    public static void main(String[] args) throws IOException {
        int runs = 3;
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            if ("--runs".equals(args[i]) && i + 1 < args.length) {
                runs = Integer.parseInt(args[++i]);
            } else {
                output = Path.of(args[i]);
            }
        }
        String table = run(runs);
        System.out.println(table);
        if (output != null) {
            if (output.toAbsolutePath().getParent() != null) {
                Files.createDirectories(output.toAbsolutePath().getParent());
            }
            Files.writeString(output, table, StandardCharsets.UTF_8);
            System.out.println("written to " + output.toAbsolutePath());
        }
    }

    /** Runs the measurement {@code runs} times and returns the markdown report. */
    public static String run(int runs) {
        List<long[]> rows = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            try (EmbeddedKafka kafka = EmbeddedKafka.builder().build()) {
                long t0 = System.nanoTime();
                kafka.start();
                long t1 = System.nanoTime();
                kafka.stop();
                long t2 = System.nanoTime();
                kafka.start();
                long t3 = System.nanoTime();
                kafka.stop();
                long t4 = System.nanoTime();
                rows.add(new long[] {ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3)});
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("# Embedded Kafka broker: time to ready\n\n");
        md.append("Measured ").append(Instant.now()).append(" by `tapipeline.bench.BrokerStartupBench` (`bench/run broker`): ")
                .append("Java ").append(System.getProperty("java.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(kafkaVersion()).append(" in a child JVM (-Xmx512m); system load average at the end ")
                .append(String.format("%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage()))
                .append(" (other work on the same cores slows every figure).\n");
        md.append("Cold start = new data directory: JVM start + storage format + broker startup until an ")
                .append("AdminClient describeCluster answers. Warm restart = the same after `stop()` on the formatted ")
                .append("directory. Stop = SIGTERM until the process has exited after Kafka's clean shutdown.\n\n");
        md.append("| run | cold start (ms) | stop (ms) | warm restart (ms) | stop after restart (ms) |\n");
        md.append("|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < rows.size(); i++) {
            long[] r = rows.get(i);
            md.append(String.format("| %d | %d | %d | %d | %d |%n", i + 1, r[0], r[1], r[2], r[3]));
        }
        md.append(String.format("| **median** | **%d** | **%d** | **%d** | **%d** |%n",
                median(rows, 0), median(rows, 1), median(rows, 2), median(rows, 3)));
        return md.toString();
    }

    private static String kafkaVersion() {
        try (var in = BrokerStartupBench.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            var props = new java.util.Properties();
            if (in != null) {
                props.load(in);
            }
            return "Kafka " + props.getProperty("version", "?");
        } catch (IOException e) {
            return "Kafka ?";
        }
    }

    private static long median(List<long[]> rows, int column) {
        long[] values = rows.stream().mapToLong(r -> r[column]).toArray();
        Arrays.sort(values);
        return values[values.length / 2];
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
