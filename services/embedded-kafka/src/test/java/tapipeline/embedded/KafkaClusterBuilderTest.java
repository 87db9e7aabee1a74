package tapipeline.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** What {@link KafkaCluster.Builder} refuses, with messages that say why; nothing here starts a node. */
class KafkaClusterBuilderTest {

    @Test
    void nodeCountOutsideOneToNineIsRefused() {
        assertThatThrownBy(() -> KafkaCluster.builder().nodes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..9 nodes, got 0");
        assertThatThrownBy(() -> KafkaCluster.builder().nodes(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 10");
    }

    @Test
    void aPasswordTheFormatStepCannotParseIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> KafkaCluster.builder().adminUser("admin", "pw,with]comma"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admin password")
                .hasMessageNotContaining("pw,with]comma");
        assertThatThrownBy(() -> KafkaCluster.builder().adminUser("", "secret"))
                .hasMessageContaining("admin user name");
    }

    @Test
    void onlyScramMechanismsAreAccepted() {
        assertThatThrownBy(() -> KafkaCluster.builder().scramMechanism("PLAIN"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got PLAIN");
    }

    @Test
    void nodeIndicesAreCheckedAndNodesLiveInTheirOwnDirectories() {
        KafkaCluster cluster = KafkaCluster.builder().nodes(2).dataDir(Path.of("target/unstarted-cluster")).build();
        assertThat(cluster.size()).isEqualTo(2);
        assertThat(cluster.nodeDir(1)).isEqualTo(Path.of("target/unstarted-cluster/node-1").toAbsolutePath().normalize());
        assertThat(cluster.isRunning(0)).isFalse();
        assertThatThrownBy(() -> cluster.stopNode(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..1, got 2");
        assertThatThrownBy(cluster::bootstrapServers).hasMessageContaining("not been started");
    }
}
