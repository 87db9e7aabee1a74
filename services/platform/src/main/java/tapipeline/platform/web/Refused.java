package tapipeline.platform.web;

/**
 * A request a service's own rules refuse (a run for an unknown term, a rollback to a target the link
 * never had), with the HTTP status that says why (400, 404, 409, ...) and a message meant for the
 * person who asked. Thrown from a route, {@link Web} answers it as an error page or JSON error with
 * that status and message; pages that want to show it in a form catch it themselves.
 */
public class Refused extends RuntimeException {

    private final int status;

    public Refused(int status, String message) {
        super(message);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a refusal is a 4xx status, not " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The error code of the JSON error body for this status. */
    public String code() {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 413 -> "too_large";
            default -> "refused";
        };
    }
}
