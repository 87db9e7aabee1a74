package tapipeline.platform.web;

/** Plain titles of the error pages. */
final class ErrorTitles {

    private ErrorTitles() {
    }

    static String title(int status) {
        return switch (status) {
            case 401 -> "Sign-in needed";
            case 403 -> "Not allowed";
            case 404 -> "Page not found";
            case 405 -> "Method not allowed";
            case 410 -> "No longer available";
            case 413 -> "Request too large";
            case 429 -> "Too many attempts";
            case 503 -> "Not ready yet";
            default -> status >= 500 ? "Something went wrong" : "Request refused";
        };
    }
}
