package tapipeline.platform.logging;

import ch.qos.logback.classic.pattern.MDCConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %safeMdc{key:-default}}: an MDC value with line breaks and control characters escaped ({@link LogText}). */
public class SafeMdcConverter extends MDCConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escape(super.convert(event));
    }
}
