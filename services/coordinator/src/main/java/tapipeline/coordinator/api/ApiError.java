package tapipeline.coordinator.api;

import java.util.List;

import tapipeline.coordinator.imports.Problem;

/**
 * The body of an API refusal, in the web layer's shape ({@code {"error": code, "message": sentence}}),
 * with the located problems when there are some.
 */
public record ApiError(String error, String message, List<Problem> problems) {

    public static ApiError of(String error, String message) {
        return new ApiError(error, message, List.of());
    }
}
