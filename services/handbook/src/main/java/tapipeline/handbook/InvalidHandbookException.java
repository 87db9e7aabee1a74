package tapipeline.handbook;

/**
 * The inputs cannot be rendered; {@link #field()} names the offending field as a path such as
 * {@code assignment.courses[3].tas[0].hours}. A service sends such inputs to the dead-letter topic.
 */
public class InvalidHandbookException extends RuntimeException {
    private final String field;

    public InvalidHandbookException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
