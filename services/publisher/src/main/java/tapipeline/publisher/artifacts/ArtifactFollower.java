package tapipeline.publisher.artifacts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.RejectedEventException;
import tapipeline.schemas.handbook.HandbookArtifact;

/**
 * Follows {@code handbook.artifacts} from the moment the publisher starts and stores every artifact
 * that decodes (its bytes hash to its key) on disk, so when its rendered event arrives the bytes are
 * usually there already and the edition is checked without reading the topic. Artifacts written
 * before the start are read by key when needed ({@link ArtifactSource}). Storing is not publishing:
 * an edition is served only once its rendered event has been verified against these bytes.
 */
public final class ArtifactFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ArtifactFollower.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final ArtifactStore store;
    private final Thread thread;
    private volatile boolean closing;

    public ArtifactFollower(KafkaClients clients, ArtifactStore store) {
        Map<String, Object> props = clients.consumerProps(null, "publisher-artifact-follower");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props);
        this.store = store;
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(Topics.HANDBOOK_ARTIFACTS.name(), Duration.ofSeconds(30))
                .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30))); // fix the start now
        this.thread = new Thread(this::run, "publisher-artifact-follower");
        this.thread.setDaemon(true);
    }

    public ArtifactFollower start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null || !ArtifactStore.isSha256(r.key())) {
                        continue;
                    }
                    try {
                        HandbookArtifact a = Events.codec().decode(r.value(), EventTypes.HANDBOOK_ARTIFACTS).payload();
                        if (a.sha256().equals(r.key()) && HandbookArtifact.PDF.equals(a.contentType())) {
                            store.put(a.sha256(), a.bytes());
                        }
                    } catch (RejectedEventException e) {
                        log.warn("artifact {} does not decode and is not stored: {}", r.key(), e.getMessage());
                    } catch (RuntimeException e) {
                        log.warn("storing artifact {} failed; it is read again when its edition is checked", r.key(), e);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.warn("the artifact follower stopped; editions are read from the topic by key instead", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        consumer.wakeup();
        thread.join(5000);
    }
}
