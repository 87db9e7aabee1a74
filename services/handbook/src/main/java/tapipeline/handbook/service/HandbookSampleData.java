package tapipeline.handbook.service;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.SampleData;
import tapipeline.schemas.EventType;
import tapipeline.schemas.EventTypes;

/**
 * The demo's program content (an MS in AI Engineering, written for this project) and one earlier
 * approved TA assignment, each published only into an empty topic so a coordinator's later edits
 * and approvals are never overwritten by a restart.
 */
public final class HandbookSampleData implements SampleData {

    private static final Logger log = LoggerFactory.getLogger(HandbookSampleData.class);

    @Override
    public void load(Config config, KafkaClients clients) throws Exception {
        try (Admin admin = clients.admin(); KafkaProducer<String, byte[]> producer = clients.producer("handbook-sample-data")) {
            TopicAdmin topics = new TopicAdmin(admin, 1, (short) 1);
            publishIfEmpty(topics, producer, Topics.HANDBOOK_CONTENT.name(), EventTypes.HANDBOOK_CONTENT,
                    "/sample/program-content.json");
            publishIfEmpty(topics, producer, Topics.APPROVED.name(), EventTypes.ASSIGNMENT_APPROVED,
                    "/sample/approved-assignment.json");
        }
    }

    private static <T> void publishIfEmpty(TopicAdmin topics, KafkaProducer<String, byte[]> producer, String topic,
                                           EventType<T> type, String resource) throws Exception {
        if (topics.recordCount(topic) > 0) {
            return;
        }
        T payload = Events.codec().decodePayload(read(resource), type);
        String key = type.keyOf(payload);
        Events.send(producer, type, key, payload).get(30, TimeUnit.SECONDS);
        log.info("published sample {} ({})", type.name(), key);
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = HandbookSampleData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("sample resource " + resource + " is missing from the handbook module");
            }
            return in.readAllBytes();
        }
    }
}
