package tapipeline.platform.embedded;

import java.nio.file.Path;

import tapipeline.embedded.EmbeddedKafka;

/**
 * A stand-in for an application that owns an embedded broker: starts one on the given data
 * directory, prints {@code BROKER_PID=<pid>} and {@code BOOTSTRAP=<servers>}, then waits to be killed.
 * Used by {@link EmbeddedKafkaOrphanIT}.
 */
public final class BrokerOwnerMain {

    static final String PID_PREFIX = "BROKER_PID=";
    static final String BOOTSTRAP_PREFIX = "BOOTSTRAP=";

    private BrokerOwnerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(Path.of(args[0])).build().start();
        System.out.println(BOOTSTRAP_PREFIX + kafka.bootstrapServers());
        System.out.println(PID_PREFIX + kafka.pid().orElseThrow());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
