package dev.cookies.example;

/**
 * Stops a handler with a {@link Problem}; each server maps it to its answer in its framework's idiom.
 * It carries no stack trace: it is the app's answer to a client, not a failure to investigate.
 */
final class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Problem problem;

    ProblemException(Problem problem) {
        super(problem.message(), null, false, false);
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }
}
