package dev.latent.examples.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the command line again with {@code OMP_NUM_THREADS} set, when it is not. libnd4j sizes
 * its thread pool from that variable once, as it loads, and ignores later requests from Java
 * ({@code Environment.setMaxThreads} is a no-op in 1.0.0-M2.1); on two cores the unsized pool
 * cost the conv model 15% (414 against 474 samples/s). A process cannot set its own
 * environment, so the command line runs itself as a child with the variable set.
 */
public final class Relaunch {
    /** Set in the child, so that it never relaunches again. */
    public static final String VARIABLE = "OMP_NUM_THREADS";
    /** OpenMP's wait policy, set to passive in the child unless given. */
    public static final String WAIT_POLICY = "OMP_WAIT_POLICY";

    private Relaunch() {}

    /**
     * The child's exit code, or empty when this process should run the command itself: the
     * variable is set already, or the child could not be started.
     */
    public static Optional<Integer> withThreads(int threads, String mainClass, List<String> args) {
        if (System.getenv(VARIABLE) != null) {
            return Optional.empty();
        }
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(java.get());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(VARIABLE, Integer.toString(threads));
        // Idle OpenMP threads sleep instead of spinning: with two threads on two cores, a spinning
        // one starved the other whenever another process ran (the conv model fell from 520 to 60
        // samples/s); passive, two threads kept 385 to 594.
        builder.environment().putIfAbsent(WAIT_POLICY, "passive");
        try {
            Process child = builder.start();
            return Optional.of(child.waitFor());
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(130);
        }
    }
}
