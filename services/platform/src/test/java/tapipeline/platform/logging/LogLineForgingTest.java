package tapipeline.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The services' logback.xml (the real file from src/main/resources): a value with line breaks that
 * reaches a log line, through the message, the correlation id or an exception message, cannot
 * start a line of its own.
 */
class LogLineForgingTest {

    private static final String FORGED = "\n12:00:00.000 INFO  [main] t.s.SolverService [] run admin-1 approved";
    /** How every real text log line starts (the pattern's %d{HH:mm:ss.SSS} %-5level). */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z]+ .*");

    /** Logs one event through the production configuration in the given format; returns what reached stderr. */
    private static String logThroughTheServiceConfig(String format, Throwable error) throws Exception {
        URL config = LogLineForgingTest.class.getClassLoader().getResource("logback.xml");
        assertThat(config.getPath()).as("the services' own file, not a test one").contains("/classes/");
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.putProperty("LOG_FORMAT", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            configurator.doConfigure(config);
            Logger log = context.getLogger("tapipeline.test.Forging");
            context.getMDCAdapter().put("correlationId", "run-7" + FORGED + "\r");
            log.warn("request {} refused: {}", "run-7" + FORGED, "bad\u2028input\u0085", error);
            context.stop();
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aTextLogLineCannotBeForgedThroughMessageCorrelationIdOrException(boolean withException) throws Exception {
        Exception error = new IllegalStateException("wrapped" + FORGED,
                new IllegalArgumentException("cause" + FORGED));
        error.addSuppressed(new RuntimeException("suppressed" + FORGED));

        String out = logThroughTheServiceConfig("text", withException ? error : null);

        List<String> lines = out.lines().toList();
        assertThat(lines.stream().filter(l -> LOG_LINE.matcher(l).matches())).as(out).hasSize(1);
        String line = lines.get(0);
        assertThat(line).contains("[run-7\\n12:00:00.000 INFO  [main] t.s.SolverService [] run admin-1 approved\\r]")
                .contains("request run-7\\n12:00:00.000 INFO")
                .contains("refused: bad\\u2028input\\u0085");
        if (withException) {
            // the stack trace still spans lines, but each of them is visibly part of it
            assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l)
                    .matches("^(\\tat |\\t\\.\\.\\. |Caused by: |\\tSuppressed: |\\t\\tat |\\t\\t\\.\\.\\. |java\\.).*"));
            assertThat(out).contains("java.lang.IllegalStateException: wrapped\\n12:00:00.000")
                    .contains("Caused by: java.lang.IllegalArgumentException: cause\\n12:00:00.000")
                    .contains("Suppressed: java.lang.RuntimeException: suppressed\\n12:00:00.000");
        } else {
            assertThat(lines).hasSize(1);
        }
    }

    @Test
    void aJsonLogEventStaysOneLineWithTheTextIntact() throws Exception {
        String out = logThroughTheServiceConfig("json", new IllegalStateException("wrapped" + FORGED));

        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(out).hasSize(1);
        JsonNode event = new ObjectMapper().readTree(lines.get(0));
        assertThat(event.get("formattedMessage").asText()).contains("request run-7" + FORGED);
        assertThat(event.toString()).contains("wrapped\\n12:00:00.000");
        @SuppressWarnings("unchecked")
        Map<String, Object> mdc = new ObjectMapper().convertValue(event.get("mdc"), Map.class);
        assertThat(mdc).containsEntry("correlationId", "run-7" + FORGED + "\r");
    }

    @Test
    void escapingLeavesOrdinaryTextAloneAndEscapesEveryControlCharacter() {
        String ordinary = "Études — 词典 \t tab";
        assertThat(LogText.escape(ordinary)).isSameAs(ordinary);
        assertThat(LogText.escape("a\r\nb\u0000c\u007fd\u2029")).isEqualTo("a\\r\\nb\\u0000c\\u007fd\\u2029");
        assertThat(LogText.escape(null)).isNull();
    }
}
