package tapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import tapipeline.platform.kafka.TopicSpec;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.access.AclPlan;
import tapipeline.platform.kafka.access.KafkaAccess;
import tapipeline.platform.service.ServiceModule;

/** The plan made of every service's and tool's declaration: who may do what, and nothing more. */
class ServiceAccessTest {

    private static final List<KafkaAccess> ALL = AclPlan.discover();
    private static final List<AclBinding> PLAN = AclPlan.bindings(ALL);

    private static KafkaAccess access(String principal) {
        return ALL.stream().filter(a -> a.principal().equals(principal)).findFirst()
                .orElseThrow(() -> new AssertionError("no declaration for " + principal));
    }

    private static boolean granted(String principal, ResourceType type, String name, AclOperation op) {
        return PLAN.stream().anyMatch(b -> b.entry().principal().equals("User:" + principal)
                && b.pattern().resourceType() == type && b.pattern().name().equals(name) && b.entry().operation() == op);
    }

    @Test
    void every_service_module_declares_its_access_under_its_own_name() {
        List<String> services = new ArrayList<>();
        for (ServiceModule m : ServiceLoader.load(ServiceModule.class)) {
            KafkaAccess a = m.kafkaAccess();
            assertThat(a.principal()).as("%s's principal", m.name()).isEqualTo(m.name());
            assertThat(a.aclBindings()).as("%s grants something", m.name()).isNotEmpty();
            services.add(m.name());
        }
        assertThat(services).containsExactlyInAnyOrder("solver", "handbook", "coordinator", "publisher", "monitor", "offers");
        assertThat(ALL).extracting(KafkaAccess::principal)
                .containsExactly("coordinator", "handbook", "monitor", "offers", "operator", "publisher", "solver");
    }

    @Test
    void the_solver_writes_its_results_but_nothing_on_site_links() {
        assertThat(granted("solver", ResourceType.TOPIC, Topics.RUN_COMPLETED.name(), AclOperation.WRITE)).isTrue();
        assertThat(granted("solver", ResourceType.TOPIC, Topics.RUN_REQUESTED.name(), AclOperation.READ)).isTrue();
        assertThat(granted("solver", ResourceType.TOPIC, Topics.RUN_REQUESTED.name(), AclOperation.WRITE)).isFalse();
        assertThat(PLAN).as("no binding of the solver names site.links")
                .noneMatch(b -> b.entry().principal().equals("User:solver") && b.pattern().name().startsWith(Topics.SITE_LINKS.name()));
    }

    /**
     * Each event and state topic is written by the service the registry names as its producer, and by
     * the monitor (a dead letter's redrive goes back to its source topic); the operator's command line
     * submits and cancels runs like the coordinator; audit is written by every service that acts.
     */
    @Test
    void each_topic_is_written_by_its_owner_only() {
        Map<String, Set<String>> writers = new TreeMap<>();
        for (TopicSpec t : Topics.all()) {
            Set<String> w = new TreeSet<>();
            ALL.stream().filter(a -> a.mayWrite(t.name())).forEach(a -> w.add(a.principal()));
            writers.put(t.name(), w);
        }
        assertThat(writers).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("assignment.run.requested", Set.of("coordinator", "operator", "monitor")),
                Map.entry("assignment.run.progress", Set.of("solver", "monitor")),
                Map.entry("assignment.run.completed", Set.of("solver", "monitor")),
                Map.entry("assignment.run.explanations", Set.of("solver", "monitor")),
                Map.entry("assignment.run.cancel", Set.of("coordinator", "operator", "monitor")),
                Map.entry("assignment.run.checkpoint", Set.of("solver", "monitor")),
                Map.entry("assignment.run.status", Set.of("solver", "monitor")),
                Map.entry("assignment.approved", Set.of("coordinator", "monitor")),
                Map.entry("handbook.content", Set.of("coordinator", "monitor")),
                Map.entry("handbook.artifacts", Set.of("handbook", "monitor")),
                Map.entry("handbook.rendered", Set.of("handbook", "monitor")),
                Map.entry("site.links", Set.of("publisher", "monitor")),
                Map.entry("coordinator.datasets", Set.of("coordinator", "monitor")),
                Map.entry("coordinator.accounts", Set.of("coordinator", "monitor")),
                Map.entry("coordinator.scenarios", Set.of("coordinator", "monitor")),
                Map.entry("offers.state", Set.of("offers", "monitor")),
                Map.entry("offers.answered", Set.of("offers", "monitor")),
                Map.entry("audit", Set.of("coordinator", "publisher", "offers", "monitor"))));
    }

    @Test
    void no_principal_may_create_delete_alter_or_act_on_every_topic() {
        Set<AclOperation> adminOnly = EnumSet.of(AclOperation.ALL, AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER,
                AclOperation.ALTER_CONFIGS, AclOperation.CLUSTER_ACTION, AclOperation.CREATE_TOKENS, AclOperation.DESCRIBE_TOKENS);
        assertThat(PLAN).noneMatch(b -> adminOnly.contains(b.entry().operation()));
        assertThat(PLAN).as("topics are named one by one").noneMatch(b -> b.pattern().resourceType() == ResourceType.TOPIC
                && (b.pattern().patternType() != PatternType.LITERAL || b.pattern().name().contains("*")));
        assertThat(PLAN).as("only the monitor describes the cluster and every group")
                .filteredOn(b -> b.pattern().resourceType() == ResourceType.CLUSTER || b.pattern().name().equals("*"))
                .allMatch(b -> b.entry().principal().equals("User:monitor") && b.entry().operation() == AclOperation.DESCRIBE);
    }

    /** No principal can join, commit to or fence another's consumer groups and transactional ids. */
    @Test
    void group_and_transactional_id_names_do_not_overlap_between_principals() {
        for (ResourceType type : List.of(ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            // the monitor's DESCRIBE on every group ('*') lets it look, not join
            List<AclBinding> used = PLAN.stream()
                    .filter(b -> b.pattern().resourceType() == type && !b.pattern().name().equals("*")).toList();
            for (AclBinding a : used) {
                for (AclBinding b : used) {
                    if (a.entry().principal().equals(b.entry().principal())) {
                        continue;
                    }
                    String an = a.pattern().name();
                    String bn = b.pattern().name();
                    boolean overlap = an.equals(bn)
                            || a.pattern().patternType() == PatternType.PREFIXED && bn.startsWith(an)
                            || b.pattern().patternType() == PatternType.PREFIXED && an.startsWith(bn);
                    assertThat(overlap).as("%s %s of %s and %s of %s", type, an, a.entry().principal(), bn,
                            b.entry().principal()).isFalse();
                }
            }
        }
    }

    /**
     * The groups principals join or commit to are the loops' groups ({@code <service>-<loop>}):
     * replays, key tails and readers assign partitions and seek, so their group ids are labels that
     * need no ACL (ServicePrincipalsIT runs every service with exactly these). The monitor's readers
     * share one id, and it describes every group.
     */
    @Test
    void only_the_groups_the_loops_join_are_granted() {
        assertThat(access("solver").groups()).containsExactly("solver-runs");
        assertThat(access("publisher").groups()).containsExactly("publisher-links");
        assertThat(access("monitor").groups()).containsExactly("tapipeline-monitor-reader");
        assertThat(access("monitor").describesGroups()).containsExactly("*");
        // the handbook's PartitionOwnership joins handbook-render to split programs between instances
        assertThat(access("handbook").groups()).containsExactly("handbook-render");
        // the coordinator reads declined and expired offers in a group: each answer asks for one proposal
        assertThat(access("coordinator").groups()).containsExactly("coordinator-proposals");
        assertThat(access("operator").groups()).isEmpty();
        assertThat(ALL).allSatisfy(a -> assertThat(a.groupPrefixes()).as(a.principal()).isEmpty());
    }

    @Test
    void transactional_ids_are_the_ones_the_services_use() {
        assertThat(access("solver").transactionalIds()).isEmpty();
        assertThat(access("solver").transactionalIdPrefixes()).isEmpty();
        assertThat(access("handbook").transactionalIdPrefixes()).containsExactly("handbook-renderer-");
        assertThat(access("publisher").transactionalIdPrefixes()).containsExactly("publisher-commands-", "publisher-links-");
        assertThat(access("coordinator").transactionalIds())
                .containsExactly("coordinator-content-writer", "coordinator-datasets-writer", "coordinator-scenarios-writer");
        assertThat(access("monitor").transactionalIds()).isEmpty();
    }
}
