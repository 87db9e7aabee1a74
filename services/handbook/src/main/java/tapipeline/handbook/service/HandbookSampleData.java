package tapipeline.handbook.service;

import java.io.IOException;
import java.io.InputStream;


import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.service.SampleData;
import tapipeline.schemas.EventTypes;

/**
 * The demo's program content (an MS in AI Engineering, written for this project) and one earlier
 * approved TA assignment, each published only into an empty topic so a coordinator's later edits
 * and approvals are never overwritten by a restart.
 */
public final class HandbookSampleData implements SampleData {

    @Override
    public void load(Config config, KafkaClients clients) throws Exception {
        SampleData.publishIfEmpty(clients, EventTypes.HANDBOOK_CONTENT,
                Events.codec().decodePayload(read("/sample/program-content.json"), EventTypes.HANDBOOK_CONTENT));
        SampleData.publishIfEmpty(clients, EventTypes.ASSIGNMENT_APPROVED,
                Events.codec().decodePayload(read("/sample/approved-assignment.json"), EventTypes.ASSIGNMENT_APPROVED));
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
