package tapipeline.embedded;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the broker child JVM started by {@link EmbeddedKafka}; not meant to be run by hand.
 *
 * <p>Arguments: {@code <server.properties> [--format <cluster-id>]}. With {@code --format} the log
 * directories are formatted first (in this same JVM, saving a second JVM start), then
 * {@code kafka.Kafka.main} runs the combined broker+controller. The format step adds the SCRAM
 * credentials listed one per line in the environment variable {@value NodeProcess#ADD_SCRAM_ENV}
 * (each a {@code kafka-storage format --add-scram} argument such as
 * {@code SCRAM-SHA-512=[name=admin,password=...]}): brokers that talk to each other with SCRAM need
 * that credential before any of them can serve. The environment keeps the password out of {@code ps}.
 *
 * <p>Orphan protection: the owner keeps the write end of this process's stdin. A daemon thread
 * reads stdin until end-of-file, which the operating system delivers when the owner exits for any
 * reason, including {@code kill -9}. It then calls {@link System#exit}, so Kafka's own shutdown hook
 * closes the broker cleanly.
 */
public final class BrokerProcessMain {

    /** Printed to stdout (the broker log file) when the owner is gone; tests grep for it. */
    public static final String OWNER_GONE_MESSAGE = "embedded-kafka: owner process gone (stdin closed), shutting down";

    private BrokerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 && args.length != 3) {
            System.err.println("usage: BrokerProcessMain <server.properties> [--format <cluster-id>]");
            System.exit(2);
        }
        OwnerWatch.start(System.in, OWNER_GONE_MESSAGE);
        String serverProperties = args[0];
        if (args.length == 3) {
            if (!"--format".equals(args[1])) {
                System.err.println("unknown option " + args[1]);
                System.exit(2);
            }
            format(serverProperties, args[2]);
        }
        kafka.Kafka.main(new String[] {serverProperties});
    }

    private static void format(String serverProperties, String clusterId) {
        List<String> formatArgs = new ArrayList<>(List.of(
                "format", "--cluster-id", clusterId, "--config", serverProperties, "--ignore-formatted"));
        String addScram = System.getenv(NodeProcess.ADD_SCRAM_ENV);
        if (addScram != null) {
            for (String credential : addScram.split("\n")) {
                if (!credential.isBlank()) {
                    formatArgs.add("--add-scram");
                    formatArgs.add(credential);
                }
            }
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int exit = kafka.tools.StorageTool.execute(formatArgs.toArray(String[]::new), out);
        if (exit != 0) {
            System.err.println("embedded-kafka: storage format failed with exit code " + exit);
            System.exit(exit);
        }
    }
}
