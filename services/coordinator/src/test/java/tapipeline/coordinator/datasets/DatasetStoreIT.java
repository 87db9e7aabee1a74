package tapipeline.coordinator.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.imports.ImportCases;
import tapipeline.coordinator.imports.Imports;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestRecords;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Dataset;

/**
 * Datasets on the real broker: an apply is seen by a second instance and survives a restart; an
 * import with an error writes nothing; two instances applying against the same version at the same
 * moment end with one new version and one refusal, never a silent loss.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DatasetStoreIT {

    private static String term() {
        return "it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void an_apply_is_seen_by_a_second_instance_and_after_a_restart_with_its_audit_entry() throws Exception {
        String term = term();
        try (DataInstance a = DataInstance.start("0"); DataInstance b = DataInstance.start("1")) {
            Imports.Pending p = a.data.imports().check(term, ImportCases.uploads(ImportCases.valid()), "alice");
            assertThat(p.result().hasErrors()).isFalse();
            Dataset written = a.data.imports().apply(term, p.id(), "alice", "first import of the term");
            assertThat(written.version()).isEqualTo(1);
            assertThat(a.data.datasets().current(term)).contains(written);
            await().atMost(Duration.ofSeconds(20)).until(() -> b.data.datasets().current(term).isPresent());
            assertThat(b.data.datasets().current(term)).contains(written);
            await().atMost(Duration.ofSeconds(20)).until(() -> !b.data.audit().history(term).isEmpty());
            AuditEntry e = b.data.audit().history(term).get(0);
            assertThat(e.actor()).isEqualTo("alice");
            assertThat(e.action()).isEqualTo("import");
            assertThat(AuditLog.reasonOf(e)).isEqualTo("first import of the term");
            assertThat(AuditLog.factsOf(e)).contains("version 1").contains("courses 2 added");
        }
        try (DataInstance restarted = DataInstance.start("0")) {
            assertThat(restarted.data.datasets().current(term)).hasValueSatisfying(d -> {
                assertThat(d.version()).isEqualTo(1);
                assertThat(d.courses()).hasSize(2);
            });
            assertThat(restarted.data.audit().history(term)).hasSize(1);
        }
    }

    @Test
    void an_import_with_any_error_writes_nothing() throws Exception {
        String term = term();
        try (DataInstance a = DataInstance.start("0")) {
            Imports.Pending p = a.data.imports().check(term, ImportCases.uploads(
                    ImportCases.with("preferences.csv", ImportCases.PREFERENCES + "a1,c9,4,\n")), "alice");
            assertThat(p.result().errors()).hasSize(1);
            assertThatThrownBy(() -> a.data.imports().apply(term, p.id(), "alice", "should not apply"))
                    .isInstanceOf(Imports.NotApplicableException.class).hasMessageContaining("1 errors");
            assertThat(a.data.datasets().current(term)).isEmpty();
            assertThat(recordsOf(term)).isEmpty();
            assertThat(a.data.audit().history(term)).isEmpty();
        }
    }

    @Test
    void two_instances_applying_against_the_same_version_at_once_give_one_new_version_and_one_refusal() throws Exception {
        String term = term();
        try (DataInstance a = DataInstance.start("0"); DataInstance b = DataInstance.start("1")) {
            Imports.Pending first = a.data.imports().check(term, ImportCases.uploads(ImportCases.valid()), "alice");
            a.data.imports().apply(term, first.id(), "alice", "start");
            await().atMost(Duration.ofSeconds(20)).until(() -> b.data.datasets().version(term) == 1);

            for (int round = 0; round < 3; round++) {
                long base = a.data.datasets().version(term);
                await().atMost(Duration.ofSeconds(20)).until(() -> b.data.datasets().version(term) == base);
                Imports.Pending pa = a.data.imports().check(term, ImportCases.uploads(Map.of("preferences.csv",
                        ImportCases.utf8("applicant_id,course_id,rating\na1,c1," + (round % 5 + 1) + "\n"))), "alice");
                Imports.Pending pb = b.data.imports().check(term, ImportCases.uploads(Map.of("preferences.csv",
                        ImportCases.utf8("applicant_id,course_id,rating\na2,c2," + (round % 5 + 1) + "\n"))), "bob");
                assertThat(pa.result().baseVersion()).isEqualTo(base);
                assertThat(pb.result().baseVersion()).isEqualTo(base);
                CyclicBarrier together = new CyclicBarrier(2);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    Future<Dataset> fa = pool.submit(() -> {
                        together.await();
                        return a.data.imports().apply(term, pa.id(), "alice", "round " + base);
                    });
                    Future<Dataset> fb = pool.submit(() -> {
                        together.await();
                        return b.data.imports().apply(term, pb.id(), "bob", "round " + base);
                    });
                    List<Object> outcomes = new ArrayList<>();
                    for (Future<Dataset> f : List.of(fa, fb)) {
                        try {
                            outcomes.add(f.get());
                        } catch (java.util.concurrent.ExecutionException e) {
                            outcomes.add(e.getCause());
                        }
                    }
                    assertThat(outcomes).as("round %d: %s", round, outcomes)
                            .filteredOn(o -> o instanceof Dataset).hasSize(1);
                    assertThat(outcomes).as("round %d: %s", round, outcomes).filteredOn(o -> o instanceof DatasetStore.VersionConflictException).hasSize(1);
                    Dataset winner = (Dataset) outcomes.stream().filter(o -> o instanceof Dataset).findFirst().orElseThrow();
                    assertThat(winner.version()).isEqualTo(base + 1);
                    await().atMost(Duration.ofSeconds(20)).until(() -> a.data.datasets().current(term).orElseThrow().equals(winner)
                            && b.data.datasets().current(term).orElseThrow().equals(winner));
                } finally {
                    pool.shutdownNow();
                }
            }
            List<Long> versions = recordsOf(term).stream()
                    .map(r -> Events.codec().decode(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8), EventTypes.COORDINATOR_DATASETS).payload().version()).toList();
            assertThat(versions).as("one record per version, in order: nothing overwritten").containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void the_runs_half_changes_pins_with_publish_dataset_checked_and_audited() throws Exception {
        String term = term();
        try (DataInstance a = DataInstance.start("0")) {
            Imports.Pending p = a.data.imports().check(term, ImportCases.uploads(ImportCases.valid()), "alice");
            Dataset v1 = a.data.imports().apply(term, p.id(), "alice", "start");
            Dataset pinned = new Dataset(term, 2, v1.courses(), v1.applicants(), v1.preferences(), v1.instructorPreferences(),
                    List.of(new tapipeline.schemas.assignment.Pin("c1", 0, "a1")));
            assertThat(a.data.publishDataset(pinned, "alice", "pin", "keep Ana on CPSC 110", "pinned c1#0 to a1").version())
                    .isEqualTo(2);
            assertThat(a.data.datasets().current(term).orElseThrow().pins()).hasSize(1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.data.publishDataset(pinned, "bob", "pin", "late", "again"))
                    .isInstanceOf(DatasetStore.VersionConflictException.class).hasMessageContaining("version 2, not 1");
            AuditEntry e = a.data.audit().history(term).get(0);
            assertThat(e.action()).isEqualTo("pin");
            assertThat(AuditLog.reasonOf(e)).isEqualTo("keep Ana on CPSC 110");
            Dataset bad = new Dataset(term, 3, v1.courses(), v1.applicants(), v1.preferences(), v1.instructorPreferences(),
                    List.of(new tapipeline.schemas.assignment.Pin("c1", 0, "a1")));
            assertThat(DatasetStore.changes(pinned, bad).isEmpty()).as("same content, another version").isTrue();
            assertThat(DatasetStore.changes(v1, pinned).sections()).filteredOn(s -> s.kind().equals("pins"))
                    .singleElement().satisfies(s -> assertThat(s.added()).containsExactly("c1#0"));
        }
    }

    @Test
    void two_instances_editing_the_same_content_at_once_give_one_edit_and_one_refusal() throws Exception {
        String program = "it-prog-" + UUID.randomUUID().toString().substring(0, 6);
        try (DataInstance a = DataInstance.start("0"); DataInstance b = DataInstance.start("1")) {
            var first = a.data.content().save(content(program, "first"), null, "alice", "new program");
            await().atMost(Duration.ofSeconds(20)).until(() -> b.data.content().current(program).isPresent());
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                var fa = pool.submit(() -> {
                    together.await();
                    return a.data.content().save(content(program, "by alice"), first.updatedAt(), "alice", "edit a");
                });
                var fb = pool.submit(() -> {
                    together.await();
                    return b.data.content().save(content(program, "by bob"), first.updatedAt(), "bob", "edit b");
                });
                List<Object> outcomes = new ArrayList<>();
                for (var f : List.of(fa, fb)) {
                    try {
                        outcomes.add(f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        outcomes.add(e.getCause());
                    }
                }
                assertThat(outcomes).as("%s", outcomes).filteredOn(o -> o instanceof tapipeline.schemas.handbook.HandbookContent).hasSize(1);
                assertThat(outcomes).as("%s", outcomes)
                        .filteredOn(o -> o instanceof tapipeline.coordinator.content.ContentStore.StaleEditException).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            List<String> overviews = TestRecords.readAll(KafkaBrokerExtension.bootstrapServers(), EventTypes.HANDBOOK_CONTENT.topic(),
                    Duration.ofSeconds(5)).stream().filter(r -> program.equals(r.key())).map(r -> Events.codec().decode(
                            r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8), EventTypes.HANDBOOK_CONTENT).payload()
                    .overview().get(0)).toList();
            assertThat(overviews).hasSize(2).first().isEqualTo("first");
            assertThat(a.data.audit().history("program:" + program)).hasSize(2);
        }
    }

    private static tapipeline.schemas.handbook.HandbookContent content(String program, String overview) {
        return new tapipeline.schemas.handbook.HandbookContent(program, "Program", "MSc", "", "2027-2028", 30, 4,
                List.of(overview), List.of(), null, List.of(), List.of(), List.of(), java.time.Instant.EPOCH);
    }

    private static List<ConsumerRecord<String, String>> recordsOf(String term) {
        return TestRecords.readAll(KafkaBrokerExtension.bootstrapServers(), EventTypes.COORDINATOR_DATASETS.topic(),
                Duration.ofSeconds(5)).stream().filter(r -> term.equals(r.key())).toList();
    }
}
