package tapipeline.platform.kafka;

/** A failure no retry or skip can fix (lost credentials, a fenced producer): the loop stops. */
public class FatalProcessingException extends RuntimeException {
    public FatalProcessingException(String message, Throwable cause) {
        super(message, cause);
    }
}
