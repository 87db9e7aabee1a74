package tapipeline.coordinator.api;

import java.util.List;

import tapipeline.coordinator.imports.Problem;

/** The body of every API error: a sentence saying what is wrong, and the located problems when there are some. */
public record ApiError(int status, String error, List<Problem> problems) {

    public static ApiError of(int status, String error) {
        return new ApiError(status, error, List.of());
    }
}
