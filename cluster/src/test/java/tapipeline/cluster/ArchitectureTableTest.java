package tapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import tapipeline.platform.kafka.TopicSpec;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.access.KafkaAccess;
import tapipeline.platform.service.ServiceModule;

/**
 * docs/architecture.md's services table says what each service consumes and produces; each
 * service's {@link KafkaAccess} says what its principal may read and write. They must name the same
 * topics (dead-letter topics aside: every loop writes its own, which the table leaves out).
 *
 * <p>The table's shorthand: {@code `.progress`} after {@code `assignment.run.requested`} is
 * {@code assignment.run.progress}; {@code `coordinator.*`} is every registered topic so named;
 * {@code `*.dlq`} every dead-letter topic; "every topic" and "their source topics" every registered topic.
 */
class ArchitectureTableTest {

    static final Path DOC = Path.of("..", "docs", "architecture.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** service -> column -> cell text. */
    static Map<String, Map<String, String>> table(List<String> lines) {
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("| service | module |")) {
                header = i;
                break;
            }
        }
        assertThat(header).as("docs/architecture.md has the services table (| service | module | ...)").isNotNegative();
        List<String> columns = cells(lines.get(header));
        assertThat(columns).contains("consumes", "produces");
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            List<String> cells = cells(lines.get(i));
            assertThat(cells).as("row %d of the services table has every column", i + 1).hasSameSizeAs(columns);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                row.put(columns.get(c), cells.get(c));
            }
            rows.put(cells.get(0), row);
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.length() - 1);
        List<String> out = new ArrayList<>();
        for (String c : inner.split("\\|", -1)) {
            out.add(c.strip());
        }
        return out;
    }

    /** The registered topics a cell names, shorthand expanded; a name that is no topic fails. */
    static Set<String> topics(String service, String column, String cell) {
        Set<String> out = new TreeSet<>();
        String last = null;
        if (cell.contains("every topic") || cell.contains("their source topics")) {
            Topics.all().forEach(t -> out.add(t.name()));
        }
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            String token = m.group(1);
            if (token.equals("*" + Topics.DLQ_SUFFIX)) {
                Topics.all().forEach(t -> out.add(t.deadLetters().name()));
                continue;
            }
            if (token.startsWith(".")) {
                assertThat(last).as("%s %s: %s follows a full topic name", service, column, token).isNotNull();
                token = last.substring(0, last.lastIndexOf('.')) + token;
            }
            if (token.endsWith(".*")) {
                String prefix = token.substring(0, token.length() - 1);
                List<String> matching = Topics.all().stream().map(TopicSpec::name).filter(n -> n.startsWith(prefix)).toList();
                assertThat(matching).as("%s %s: %s names registered topics", service, column, token).isNotEmpty();
                out.addAll(matching);
                continue;
            }
            assertThat(Topics.byName(token)).as("%s %s: `%s` is a topic of the Topics registry", service, column, token)
                    .isPresent();
            out.add(token);
            last = token;
        }
        return out;
    }

    private static Set<String> withoutDeadLetters(Set<String> topics) {
        Set<String> out = new TreeSet<>(topics);
        out.removeIf(t -> t.endsWith(Topics.DLQ_SUFFIX));
        return out;
    }

    @Test
    void the_services_table_names_the_topics_each_service_declares() throws Exception {
        Map<String, Map<String, String>> rows = table(Files.readAllLines(DOC));
        int checked = 0;
        for (ServiceModule m : ServiceLoader.load(ServiceModule.class)) {
            Map<String, String> row = rows.get(m.name());
            assertThat(row).as("docs/architecture.md's services table has a row for %s", m.name()).isNotNull();
            KafkaAccess access = m.kafkaAccess();
            Set<String> consumes = topics(m.name(), "consumes", row.get("consumes"));
            Set<String> produces = topics(m.name(), "produces", row.get("produces"));
            assertThat(withoutDeadLetters(consumes)).as("%s: the table's consumes column vs kafkaAccess() reads", m.name())
                    .containsExactlyElementsOf(withoutDeadLetters(access.reads()));
            if (consumes.stream().anyMatch(t -> t.endsWith(Topics.DLQ_SUFFIX))) {
                assertThat(consumes).as("%s reads the dead-letter topics the table names", m.name())
                        .isSubsetOf(access.reads());
            }
            assertThat(withoutDeadLetters(produces)).as("%s: the table's produces column vs kafkaAccess() writes", m.name())
                    .containsExactlyElementsOf(withoutDeadLetters(access.writes()));
            checked++;
        }
        assertThat(checked).isEqualTo(6);
    }

    /** The "Principals and ACLs" table's binding counts are the declarations'. */
    @Test
    void the_principals_table_counts_each_principals_bindings() throws Exception {
        List<String> lines = Files.readAllLines(DOC);
        int checked = 0;
        for (KafkaAccess a : tapipeline.platform.kafka.access.AclPlan.discover()) {
            String row = lines.stream().filter(l -> l.startsWith("| `" + a.principal() + "` ")).findFirst()
                    .orElseThrow(() -> new AssertionError("docs/architecture.md's principals table has no row for " + a.principal()));
            assertThat(row.split("\\|")[2].strip()).as("bindings of %s in docs/architecture.md", a.principal())
                    .isEqualTo(Integer.toString(a.aclBindings().size()));
            checked++;
        }
        assertThat(checked).isEqualTo(7);
    }

    @Test
    void the_shorthand_expands_to_registered_topics() {
        assertThat(topics("x", "c", "`assignment.run.requested`, `.progress`, `coordinator.*` and `*.dlq`"))
                .contains("assignment.run.requested", "assignment.run.progress", "coordinator.accounts",
                        "coordinator.datasets", "audit.dlq")
                .doesNotContain("audit");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> topics("x", "c", "`site.linkz`"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("site.linkz");
    }
}
