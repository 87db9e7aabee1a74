package tapipeline.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.embedded.EmbeddedKafka;

/** A broker that cannot start fails fast with a message that says why, and leaves no process behind. */
class EmbeddedKafkaFailureIT {

    @TempDir
    Path dataDir;

    @Test
    void aBrokerThatExitsAtStartupReportsTheTailOfItsLog() {
        EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir)
                .brokerProperty("num.io.threads", "not-a-number").build();
        assertThatThrownBy(kafka::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("num.io.threads")
                .hasMessageContaining(dataDir.resolve(EmbeddedKafka.LOG_FILE).toString());
        assertThat(kafka.isRunning()).isFalse();
        kafka.close();
    }

    @Test
    void aTakenPortIsNamedBeforeAnyProcessStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir).brokerPort(taken.getLocalPort()).build();
            assertThatThrownBy(kafka::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port 127.0.0.1:" + taken.getLocalPort() + " is already in use");
            assertThat(kafka.isRunning()).isFalse();
            kafka.close();
        }
    }
}
