package tapipeline.platform.logging;

/**
 * Makes text safe for one line of a text log: line breaks and other control characters are written
 * as escapes (backslash-n, backslash-r, backslash-u0085...), so a value that reaches a log line (an
 * event's correlation id, a record key, an exception message from a client) cannot start a forged
 * line. Tabs stay. JSON logs need none of this: the JSON encoder escapes control characters itself.
 */
public final class LogText {

    private LogText() {
    }

    /** The text with every line break and control character other than tab escaped; the same object when there is none. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !unsafe(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (unsafe(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** C0 controls but tab, DEL, C1 controls (NEL among them), and the Unicode line and paragraph separators. */
    static boolean unsafe(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
    }
}
