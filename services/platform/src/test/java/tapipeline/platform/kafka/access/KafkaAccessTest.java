package tapipeline.platform.kafka.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import tapipeline.platform.kafka.TopicSpec;
import tapipeline.platform.kafka.Topics;

class KafkaAccessTest {

    /** "TYPE:PATTERN:name:OPERATION" of every binding, for readable assertions. */
    private static Set<String> grants(KafkaAccess a) {
        return a.aclBindings().stream().map(KafkaAccessTest::grant).collect(Collectors.toSet());
    }

    private static String grant(AclBinding b) {
        return b.pattern().resourceType() + ":" + b.pattern().patternType() + ":" + b.pattern().name() + ":"
                + b.entry().operation();
    }

    @Test
    void a_consumer_group_loop_reads_its_topic_and_writes_its_dead_letters_only() {
        KafkaAccess a = KafkaAccess.builder("solver", "test").consumes(Topics.RUN_REQUESTED).groupPrefix("solver-").build();
        assertThat(grants(a)).containsExactlyInAnyOrder(
                "TOPIC:LITERAL:assignment.run.requested:READ",
                "TOPIC:LITERAL:assignment.run.requested:DESCRIBE",
                "TOPIC:LITERAL:assignment.run.requested.dlq:WRITE",
                "TOPIC:LITERAL:assignment.run.requested.dlq:DESCRIBE",
                "GROUP:PREFIXED:solver-:READ");
        assertThat(a.mayWrite(Topics.RUN_REQUESTED.name())).isFalse();
    }

    @Test
    void a_replay_also_reads_the_dead_letters_it_wrote_before() {
        KafkaAccess a = KafkaAccess.builder("handbook", "test").replays(Topics.HANDBOOK_CONTENT).build();
        assertThat(grants(a)).containsExactlyInAnyOrder(
                "TOPIC:LITERAL:handbook.content:READ",
                "TOPIC:LITERAL:handbook.content:DESCRIBE",
                "TOPIC:LITERAL:handbook.content.dlq:READ",
                "TOPIC:LITERAL:handbook.content.dlq:WRITE",
                "TOPIC:LITERAL:handbook.content.dlq:DESCRIBE");
    }

    @Test
    void writes_transactional_ids_and_cluster_operations_become_their_bindings() {
        KafkaAccess a = KafkaAccess.builder("publisher", "test").writes(Topics.SITE_LINKS)
                .transactionalIdPrefix("publisher-links-").transactionalId("lock").describesGroups("*")
                .cluster(AclOperation.DESCRIBE).build();
        assertThat(grants(a)).containsExactlyInAnyOrder(
                "TOPIC:LITERAL:site.links:WRITE",
                "TOPIC:LITERAL:site.links:DESCRIBE",
                "TRANSACTIONAL_ID:PREFIXED:publisher-links-:WRITE",
                "TRANSACTIONAL_ID:PREFIXED:publisher-links-:DESCRIBE",
                "TRANSACTIONAL_ID:LITERAL:lock:WRITE",
                "TRANSACTIONAL_ID:LITERAL:lock:DESCRIBE",
                "GROUP:LITERAL:*:DESCRIBE",
                "CLUSTER:LITERAL:kafka-cluster:DESCRIBE");
        assertThat(a.aclBindings()).allSatisfy(b -> {
            assertThat(b.entry().principal()).isEqualTo("User:publisher");
            assertThat(b.entry().host()).isEqualTo("*");
            assertThat(b.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
        });
    }

    @Test
    void only_registered_topics_can_be_declared() {
        TopicSpec stray = TopicSpec.events("site.linkz", "a typo");
        assertThatThrownBy(() -> KafkaAccess.builder("solver", "test").writes(stray))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("site.linkz")
                .hasMessageContaining("Topics registry");
    }

    @Test
    void a_principal_is_a_plain_user_name() {
        assertThatThrownBy(() -> KafkaAccess.builder("*", "test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KafkaAccess.builder("User:solver", "test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KafkaAccess.builder("solver", "test").cluster(AclOperation.ALL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ALL");
    }

    @Test
    void the_plan_orders_bindings_and_refuses_a_principal_declared_twice() {
        KafkaAccess b = KafkaAccess.builder("b", "test").writes(Topics.AUDIT).build();
        KafkaAccess a = KafkaAccess.builder("a", "test").reads(Topics.AUDIT).build();
        List<AclBinding> plan = AclPlan.bindings(List.of(b, a));
        assertThat(plan).extracting(x -> x.entry().principal()).containsExactly("User:a", "User:a", "User:b", "User:b");
        assertThat(plan).isSortedAccordingTo(AclPlan.ORDER);
        assertThatThrownBy(() -> AclPlan.bindings(List.of(a, KafkaAccess.builder("a", "again").build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("principal a is declared twice");
    }

    @Test
    void the_script_says_what_kafka_acls_needs_and_keeps_passwords_out() {
        KafkaAccess a = KafkaAccess.builder("monitor", "test").reads(Topics.AUDIT).describesConfigs(t -> t == Topics.AUDIT)
                .groupPrefix("monitor-").describesGroups("*").cluster(AclOperation.DESCRIBE).build();
        String script = AclPlan.script(List.of(a), "bin/regenerate");
        assertThat(script).startsWith("#!/usr/bin/env bash\n").contains("Regenerate with: bin/regenerate")
                .contains("--entity-name monitor --add-config \"$mechanism=[password=${MONITOR_KAFKA_PASSWORD}]\"")
                .contains("--allow-principal User:monitor \\\n   --operation Read --operation Describe --operation DescribeConfigs \\\n   --topic audit\n")
                .contains("--operation Read --resource-pattern-type prefixed \\\n   --group monitor-\n")
                .contains("--operation Describe \\\n   --group '*'\n")
                .contains("--operation Describe \\\n   --cluster\n");
        assertThat(AclPlan.operationName(AclOperation.DESCRIBE_CONFIGS)).isEqualTo("DescribeConfigs");
        assertThat(AclPlan.passwordVariable("my-tool")).isEqualTo("MY_TOOL_KAFKA_PASSWORD");
        assertThat(AclPlan.script(List.of(a), "x")).isEqualTo(AclPlan.script(List.of(a), "x"));
    }

    @Test
    void a_prefixed_pattern_is_only_used_where_declared() {
        KafkaAccess a = KafkaAccess.builder("coordinator", "test").transactionalId("coordinator-datasets-writer").build();
        assertThat(a.aclBindings()).allSatisfy(b -> {
            assertThat(b.pattern().resourceType()).isEqualTo(ResourceType.TRANSACTIONAL_ID);
            assertThat(b.pattern().patternType()).isEqualTo(PatternType.LITERAL);
        });
    }
}
