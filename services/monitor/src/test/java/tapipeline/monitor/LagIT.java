package tapipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestTopics;

/**
 * Must-show: lag in records and in seconds is computed correctly while a consumer is paused (records
 * with known timestamps) and drains when it resumes; the status reads STALLED while paused and OK
 * after; an idle group stays OK; a committed offset below the log start is flagged as data loss.
 * All on the real embedded broker, with a real consumer group.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LagIT {

    private static final int WINDOW = 3;

    @Test
    void lag_in_records_and_seconds_while_paused_then_drained_and_the_status_follows() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        KafkaClients clients = new KafkaClients(bootstrap);
        String topic = TestTopics.createUnique(bootstrap, "lag", 1, false);
        String group = "g-" + topic;
        TopicPartition tp = new TopicPartition(topic, 0);
        long base = System.currentTimeMillis() - 600_000; // ten minutes ago, one second apart
        try (KafkaProducer<String, byte[]> p = clients.producer("lag-test")) {
            for (int i = 0; i < 20; i++) {
                p.send(new ProducerRecord<>(topic, 0, base + i * 1000L, "k" + i, new byte[] {1})).get();
            }
        }
        try (ClusterSampler sampler = new ClusterSampler(clients, WINDOW, 100, 100);
             KafkaConsumer<String, byte[]> consumer = clients.consumer(group, "lag-consumer")) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
            });
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(5)));
            consumer.pause(consumer.assignment()); // the member stays in the group, reading nothing

            Snapshot.GroupPartition paused = null;
            for (int i = 0; i < WINDOW; i++) {
                consumer.poll(Duration.ofMillis(100));
                Snapshot s = sampler.sample();
                paused = partition(s, group, tp);
                assertThat(paused.lag()).isEqualTo(15);
                assertThat(paused.method()).isEqualTo(Snapshot.LagMethod.READ);
                // the record at the committed offset (5) was written at base + 5 s
                assertThat(paused.lagSeconds()).isEqualTo((s.takenAt() - (base + 5000)) / 1000.0);
                Thread.sleep(200);
            }
            assertThat(paused.status()).isEqualTo(LagStatus.STALLED);
            assertThat(paused.reason()).contains("stayed at 5");
            assertThat(paused.member()).isEqualTo("lag-consumer");
            assertThat(sampler.latest().groups().get(group).status()).isEqualTo(LagStatus.STALLED);

            // which groups have processed a record: offset 3 yes (committed 5), offset 10 not yet
            Monitor monitor = new Monitor(clients, sampler, null, null, null);
            assertThat(monitor.processedBy(topic, 0, 3)).singleElement().satisfies(p -> {
                assertThat(p.group()).isEqualTo(group);
                assertThat(p.processed()).isTrue();
            });
            assertThat(monitor.processedBy(topic, 0, 10)).singleElement().satisfies(p -> {
                assertThat(p.processed()).isFalse();
                assertThat(p.detail()).contains("5 record(s) before it still to read");
            });
            // the paused partition as a queue: k5 in hand, k6..k19 waiting
            assertThat(monitor.queue(group, topic)).singleElement().satisfies(q -> {
                assertThat(q.inHand()).isEqualTo("k5 @5");
                assertThat(q.waiting()).hasSize(14).first().isEqualTo("k6 @6");
            });

            consumer.resume(consumer.assignment());
            consumer.seek(tp, 5);
            int read = 0;
            while (read < 15) {
                ConsumerRecords<String, byte[]> rs = consumer.poll(Duration.ofMillis(500));
                read += rs.count();
            }
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(20)));
            Snapshot s = sampler.sample();
            Snapshot.GroupPartition drained = partition(s, group, tp);
            assertThat(drained.lag()).isZero();
            assertThat(drained.lagSeconds()).isZero();
            assertThat(drained.method()).isEqualTo(Snapshot.LagMethod.NONE);
            assertThat(drained.status()).isEqualTo(LagStatus.OK);
            assertThat(s.groups().get(group).status()).isEqualTo(LagStatus.OK);
            assertThat(s.groups().get(group).totalLag()).isZero();
        }
    }

    @Test
    void an_idle_group_on_an_idle_topic_stays_ok_with_or_without_members() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        KafkaClients clients = new KafkaClients(bootstrap);
        String topic = TestTopics.createUnique(bootstrap, "idle", 1, false);
        String group = "g-" + topic;
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, byte[]> p = clients.producer("idle-test")) {
            p.send(new ProducerRecord<>(topic, "k", new byte[] {1})).get();
        }
        try (ClusterSampler sampler = new ClusterSampler(clients, WINDOW, 100, 100)) {
            try (KafkaConsumer<String, byte[]> consumer = clients.consumer(group, "idle-consumer")) {
                consumer.subscribe(List.of(topic));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(100));
                    return consumer.assignment().contains(tp) && consumer.position(tp) >= 1;
                });
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(1)));
                for (int i = 0; i < WINDOW + 1; i++) {
                    consumer.poll(Duration.ofMillis(100));
                    assertThat(sampler.sample().groups().get(group).status()).isEqualTo(LagStatus.OK);
                }
            }
            // the member has left: nothing waits, so an idle topic's group is not "stopped"
            await().atMost(Duration.ofSeconds(30)).until(() -> sampler.sample().groups().get(group).members().isEmpty());
            for (int i = 0; i < WINDOW + 1; i++) {
                Snapshot.GroupView g = sampler.sample().groups().get(group);
                assertThat(g.status()).isEqualTo(LagStatus.OK);
                assertThat(g.reason()).isEqualTo("nothing waiting");
            }
            // a record arrives and no member consumes it: that group is stopped
            try (KafkaProducer<String, byte[]> p = clients.producer("idle-test")) {
                p.send(new ProducerRecord<>(topic, "k2", new byte[] {1})).get();
            }
            Snapshot.GroupView g = null;
            for (int i = 0; i < WINDOW + 1; i++) {
                g = sampler.sample().groups().get(group);
            }
            assertThat(g.status()).isEqualTo(LagStatus.STOPPED);
        }
    }

    @Test
    void a_committed_offset_below_the_log_start_is_flagged_as_data_loss() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        KafkaClients clients = new KafkaClients(bootstrap);
        String topic = TestTopics.createUnique(bootstrap, "loss", 1, false);
        String group = "g-" + topic;
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, byte[]> p = clients.producer("loss-test")) {
            for (int i = 0; i < 10; i++) {
                p.send(new ProducerRecord<>(topic, "k" + i, new byte[] {1})).get();
            }
        }
        try (Admin admin = clients.admin()) {
            admin.alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(2))).all().get();
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(6))).all().get();
        }
        try (ClusterSampler sampler = new ClusterSampler(clients, WINDOW, 100, 100)) {
            Snapshot.GroupPartition gp = partition(sampler.sample(), group, tp);
            assertThat(gp.dataLoss()).isTrue();
            assertThat(gp.reason()).startsWith("DATA LOSS: committed offset 2 is below the log start 6");
            assertThat(gp.lag()).isEqualTo(4);
            assertThat(sampler.latest().groups().get(group).dataLoss()).isTrue();
        }
    }

    @Test
    void over_the_read_budget_lag_seconds_are_interpolated_from_the_samples_and_say_so() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        KafkaClients clients = new KafkaClients(bootstrap);
        String topic = TestTopics.createUnique(bootstrap, "interp", 1, false);
        String group = "g-" + topic;
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = clients.admin()) {
            admin.alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(0))).all().get();
        }
        try (ClusterSampler sampler = new ClusterSampler(clients, WINDOW, 100, 0);
             KafkaProducer<String, byte[]> p = clients.producer("interp-test")) {
            long before = sampler.sample().takenAt(); // end offset 0
            Thread.sleep(300);
            p.send(new ProducerRecord<>(topic, "k", new byte[] {1})).get();
            Thread.sleep(300);
            Snapshot s = sampler.sample(); // end offset 1: record 0 was written between the two samples
            Snapshot.GroupPartition gp = partition(s, group, tp);
            assertThat(gp.lag()).isEqualTo(1);
            assertThat(gp.method()).isEqualTo(Snapshot.LagMethod.INTERPOLATED);
            assertThat(gp.lagSeconds()).isBetween(0.0, (s.takenAt() - before) / 1000.0);
        }
    }

    static Snapshot.GroupPartition partition(Snapshot s, String group, TopicPartition tp) {
        Snapshot.GroupView g = s.groups().get(group);
        assertThat(g).as("group %s in the snapshot", group).isNotNull();
        return g.partitions().stream().filter(x -> x.topic().equals(tp.topic()) && x.partition() == tp.partition())
                .findFirst().orElseThrow();
    }
}
