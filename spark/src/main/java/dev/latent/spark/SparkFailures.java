package dev.latent.spark;

import dev.latent.runtime.data.DataFileException;
import java.util.function.Supplier;

/**
 * Spark reports a task's failure as its own exception around the task's; a bad file is the
 * runtime's one-line {@link DataFileException} again once unwrapped, as on one machine.
 */
final class SparkFailures {
    private SparkFailures() {}

    static <T> T unwrap(Supplier<T> job) {
        try {
            return job.get();
        } catch (Exception e) { // Spark's own exception is checked, and Scala throws it undeclared
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof DataFileException dataFile) {
                    throw new DataFileException(dataFile.file(), dataFile.problem(), e);
                }
            }
            throw SparkFailures.<RuntimeException>rethrow(e);
        }
    }

    @SuppressWarnings("unchecked") // rethrows e as it is: the compiler is told it is an E
    private static <E extends Exception> E rethrow(Exception e) throws E {
        throw (E) e;
    }
}
