package dev.latent.testkit;

/**
 * Makes the kit's failures. Under JUnit 5 (opentest4j on the class path) a failure is an
 * {@code org.opentest4j.AssertionFailedError} carrying expected and actual values, which IDEs show
 * side by side; without it, a plain {@link AssertionError} with the same message. opentest4j is an
 * optional dependency of the runtime: it is looked up once and only linked when present.
 */
final class Failures {
    private static final boolean OPENTEST4J = isPresent("org.opentest4j.AssertionFailedError");

    private Failures() {}

    /** A failure that shows {@code expected} next to {@code actual}. */
    static AssertionError of(String message, Object expected, Object actual) {
        return OPENTEST4J ? OpenTest4j.failure(message, expected, actual) : new AssertionError(message);
    }

    /** A failure without values to compare. */
    static AssertionError of(String message) {
        return new AssertionError(message);
    }

    /**
     * A failure caused by an exception from the network under test; the message ends with the
     * first line of the root cause, which is where DL4J and Jackson say what went wrong.
     */
    static AssertionError of(String message, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = message + ": " + firstLine(cause);
        if (root != cause) {
            text += "; root cause: " + firstLine(root);
        }
        return new AssertionError(text, cause);
    }

    private static String firstLine(Throwable e) {
        String text = e.toString();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, Failures.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    // A class of its own: the JVM resolves AssertionFailedError only when this class is first used.
    private static final class OpenTest4j {
        static AssertionError failure(String message, Object expected, Object actual) {
            return new org.opentest4j.AssertionFailedError(message, expected, actual);
        }
    }
}
