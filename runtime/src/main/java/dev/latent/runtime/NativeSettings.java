package dev.latent.runtime;

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

    private NativeSettings() {}

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
        // Nd4j first: it loads the backend that NativeOpsHolder needs.
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        // OpenMP otherwise keeps one thread per core; this is what OMP_NUM_THREADS would have set.
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /**
     * Daemon threads that keep the calling thread's OpenMP thread count: OpenMP's setting is per
     * thread, so a worker would otherwise start with one thread per core and oversubscribe them.
     */
    public static ThreadFactory workerThreads(String name) {
        int threads = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
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
