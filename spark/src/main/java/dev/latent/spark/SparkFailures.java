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
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof DataFileException dataFile) {
                    throw new DataFileException(dataFile.file(), dataFile.problem(), e);
                }
            }
            throw e;
        }
    }
}
