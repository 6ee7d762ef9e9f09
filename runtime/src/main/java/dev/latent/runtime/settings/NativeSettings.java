package dev.latent.runtime.settings;

import java.util.concurrent.ThreadFactory;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The one place where Latent touches ND4J's process-wide settings. Everything else in the
 * runtime passes its settings explicitly (data type, seed, workspaces live in each network's
 * configuration).
 */
public final class NativeSettings {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    /** The most threads a network may use; see {@link #limitThreads}. */
    private static volatile int limit = fromEnvironment();

    private NativeSettings() {}

    private static int fromEnvironment() {
        try {
            return Math.max(1, Integer.parseInt(System.getenv().getOrDefault("OMP_NUM_THREADS", "1").trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * Caps the OpenMP and BLAS threads of ND4J's native ops. On a small machine OpenMP and
     * OpenBLAS threads oversubscribe the cores: the seed's dense model trained 2.8 times slower
     * with two threads than with one on two cores. Call it once at start, before training:
     * changing it later makes native libraries rebuild their thread pools. libnd4j's own pool is
     * sized from {@code OMP_NUM_THREADS} as the natives load and no call changes it afterwards
     * ({@code Environment.setMaxThreads} is a no-op in 1.0.0-M2.1): set that variable too.
     */
    public static void limitThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        limit = threads;
        // Nd4j first: it loads the backend that NativeOpsHolder needs.
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        useThreads(threads);
    }

    /**
     * The most threads a network may use: the last {@link #limitThreads}, else
     * {@code OMP_NUM_THREADS}, else 1.
     */
    public static int threadLimit() {
        return limit;
    }

    /**
     * Runs the calling thread's native ops, and BLAS, on {@code threads} threads, at most
     * {@link #threadLimit()}. The engines call it once per network, by kind: convolutional
     * networks on the SameDiff engine use the limit (two threads ran the seed's conv model 1.33
     * times as fast as one on two cores), dense networks on the layer API use one (two ran them
     * at 0.6 to 0.87 times the speed: their small products gain less than the threads cost).
     */
    public static void useThreads(int threads) {
        int n = Math.max(1, Math.min(threads, limit));
        Nd4j.factory().blas().setMaxThreads(n);
        // OpenMP otherwise keeps one thread per core; this is what OMP_NUM_THREADS would have set.
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    }

    /**
     * Runs the calling thread's OpenMP work (libnd4j's ops and oneDNN's, which share one OpenMP
     * runtime) on {@code threads} threads, leaving BLAS as it is: a cheap switch (0.1 us), where
     * setting OpenBLAS's threads too, as {@link #useThreads} does, costs about 0.25 ms.
     */
    public static void useOpenMpThreads(int threads) {
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(Math.max(1, Math.min(threads, limit)));
    }

    /** The native threads the calling thread's ops run on now. */
    public static int currentThreads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /**
     * Daemon threads whose native ops run on {@code threads} OpenMP threads: OpenMP's setting is
     * per thread, so a worker would otherwise start with one thread per core and oversubscribe them.
     */
    public static ThreadFactory workerThreads(String name, int threads) {
        return task -> {
            Thread thread = new Thread(() -> {
                NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
                task.run();
            }, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
