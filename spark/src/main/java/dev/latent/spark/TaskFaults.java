package dev.latent.spark;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A failure the tests inject into an epoch's task, to show that Spark retries the barrier stage
 * and the run completes. Inert unless a test arms it; the executors of {@code local[N]} share the
 * test's JVM, so a static field reaches them.
 */
final class TaskFaults {
    private static final AtomicInteger FAILURES = new AtomicInteger();
    private static volatile int partition = -1;
    private static volatile int epoch = -1;

    private TaskFaults() {}

    /** The next {@code failures} tasks of {@code partition} in {@code epoch} throw. */
    static void arm(int partition, int epoch, int failures) {
        TaskFaults.partition = partition;
        TaskFaults.epoch = epoch;
        FAILURES.set(failures);
    }

    /** Failures armed and not injected yet. */
    static int pending() {
        return FAILURES.get();
    }

    static void maybeFail(int partition, int epoch) {
        if (partition == TaskFaults.partition && epoch == TaskFaults.epoch && FAILURES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("a fault injected by a test into partition " + partition + ", epoch " + epoch);
        }
    }
}
