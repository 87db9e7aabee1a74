package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestRecords;
import tapipeline.platform.testing.TestTopics;

/**
 * The worker loop on the real broker: long work does not hold up a rebalance; a joining member takes
 * one partition and only that partition's work is interrupted and handed back (not committed, not
 * dead-lettered), the others go on; a close hands back the rest quickly; every record is completed
 * exactly once in the end and committed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class WorkerLoopIT {

    @Test
    void a_joining_member_takes_one_partition_and_only_its_work_is_handed_back() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "worker", 3, false);
        TestTopics.create(bootstrap, Topics.deadLetterTopicOf(topic), 3, false);
        String group = "g-" + topic;
        KafkaClients clients = new KafkaClients(bootstrap);
        try (KafkaProducer<String, byte[]> p = clients.producer("worker-it")) {
            for (int partition = 0; partition < 3; partition++) {
                p.send(new ProducerRecord<>(topic, partition, "k" + partition,
                        ("r" + partition).getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
            }
        }
        Set<Integer> firstStarted = ConcurrentHashMap.newKeySet();
        List<Integer> firstHandedBack = new CopyOnWriteArrayList<>();
        List<Integer> secondCompleted = new CopyOnWriteArrayList<>();
        WorkerLoop<byte[]> first = WorkerLoop.builder("worker-1", clients, RecordDecoder.bytes()).groupId(group)
                .topics(topic).capacity(3).work((value, record, interruption) -> {
                    firstStarted.add(record.partition());
                    while (!interruption.isInterrupted()) {
                        Thread.sleep(20); // a run that only ends when interrupted
                    }
                    firstHandedBack.add(record.partition());
                    throw new WorkerLoop.HandedBack(interruption.reason());
                }).build().start();
        WorkerLoop<byte[]> second = null;
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> firstStarted.size() == 3);
            assertThat(first.inFlight()).hasSize(3);

            long joined = System.nanoTime();
            second = WorkerLoop.builder("worker-2", clients, RecordDecoder.bytes()).groupId(group).topics(topic)
                    .capacity(3).work((value, record, interruption) -> secondCompleted.add(record.partition()))
                    .build().start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> secondCompleted.size() == 1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joined)).as("rebalance not held up by work")
                    .isLessThan(10_000);
            assertThat(firstHandedBack).as("only the moved partition's work was interrupted")
                    .containsExactlyElementsOf(secondCompleted);
            assertThat(first.inFlight()).as("the other two go on").hasSize(2);

            long closing = System.nanoTime();
            first.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing)).as("close").isLessThan(10_000);
            assertThat(firstHandedBack).hasSize(3);

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> secondCompleted.size() == 3);
            assertThat(secondCompleted).containsExactlyInAnyOrder(0, 1, 2);
            Thread.sleep(1000);
            assertThat(secondCompleted).as("each record completed once").hasSize(3);
            try (Admin admin = clients.admin()) {
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                    for (int partition = 0; partition < 3; partition++) {
                        assertThat(committed.get(new TopicPartition(topic, partition))).isNotNull()
                                .extracting(OffsetAndMetadata::offset).isEqualTo(1L);
                    }
                });
            }
            assertThat(TestRecords.readAll(bootstrap, Topics.deadLetterTopicOf(topic), Duration.ofSeconds(10)))
                    .as("nothing handed back was dead-lettered").isEmpty();
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}
