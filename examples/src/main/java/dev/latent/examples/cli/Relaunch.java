package dev.latent.examples.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts the command line again with {@code OMP_NUM_THREADS} set, when it is not. libnd4j sizes
 * its thread pool from that variable once, as it loads, and ignores later requests from Java
 * ({@code Environment.setMaxThreads} is a no-op in 1.0.0-M2.1); on two cores the unsized pool
 * cost the conv model 15% (414 against 474 samples/s). A process cannot set its own
 * environment, so the command line runs itself as a child with the variable set.
 *
 * <p>The process a user, a script or a supervisor sees is the parent, so the two live and die
 * together: the parent passes a TERM or INT on to the child and waits for it to stop (a training
 * run writes its checkpoint first), and the child, watching its parent, halts within
 * {@value #WATCH_MILLIS} ms of the parent's end however it ended, {@code kill -9} included.
 */
public final class Relaunch {
    /** Set in the child, so that it never relaunches again. */
    public static final String VARIABLE = "OMP_NUM_THREADS";
    /** OpenMP's wait policy, set to passive in the child unless given. */
    public static final String WAIT_POLICY = "OMP_WAIT_POLICY";
    /** The parent's process id, in the child's environment: the process it watches. */
    public static final String PARENT = "LATENT_PARENT_PID";
    /** How often the child looks for its parent. */
    static final long WATCH_MILLIS = 200;
    /** How long the parent, told to stop, waits for the child to stop before killing it. */
    static final long STOP_SECONDS = 20;

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
        List<String> inherited = ManagementFactory.getRuntimeMXBean().getInputArguments();
        command.addAll(inherited);
        // A run started with java -jar had them from the jar's manifest, which -cp does not read.
        SparkOpens.options().stream().filter(option -> !inherited.contains(option)).forEach(command::add);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(VARIABLE, Integer.toString(threads));
        builder.environment().put(PARENT, Long.toString(ProcessHandle.current().pid()));
        // Idle OpenMP threads sleep instead of spinning: with two threads on two cores, a spinning
        // one starved the other whenever another process ran (the conv model fell from 520 to 60
        // samples/s); passive, two threads kept 385 to 594.
        builder.environment().putIfAbsent(WAIT_POLICY, "passive");
        Process child;
        try {
            child = builder.start();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        // On TERM, INT or System.exit: the child stops too, or is killed when it does not in time.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), "latent-stop-child"));
        try {
            return Optional.of(child.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(child);
            return Optional.of(130);
        }
    }

    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * In a child this class started: a daemon thread that halts this process once its parent has
     * ended, so that no training outlives the process the user started. Nothing elsewhere.
     */
    public static void watchParent() {
        String value = System.getenv(PARENT);
        if (value == null || !value.matches("\\d{1,19}")) {
            return;
        }
        long parent = Long.parseLong(value);
        Thread watcher = new Thread(() -> {
            while (parentAlive(parent)) {
                try {
                    Thread.sleep(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("latent: the command line that started this run (PID " + parent
                    + ") has ended; stopping");
            killItself();
        }, "latent-watch-parent");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * Ends this process at once. {@code Runtime.halt} waits for threads in native code to block,
     * JIT compilers included, which took over 2 s on a loaded machine; a SIGKILL does not wait.
     */
    private static void killItself() {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).start();
            kill.waitFor(1, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            // No kill command: halting is slower, but ends the process all the same.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(137);
    }

    // An ended parent's children pass to another process (init or a subreaper) at once, even while
    // the parent itself lingers as a zombie that ProcessHandle may still report alive.
    private static boolean parentAlive(long parent) {
        return ProcessHandle.current().parent().filter(p -> p.pid() == parent && p.isAlive()).isPresent();
    }
}
