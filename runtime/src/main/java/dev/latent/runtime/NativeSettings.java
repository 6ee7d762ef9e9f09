package dev.latent.runtime;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The one place where Latent touches ND4J's process-wide settings. Everything else in the
 * runtime passes its settings explicitly (data type, seed, workspaces live in each network's
 * configuration).
 */
public final class NativeSettings {
    private NativeSettings() {}

    /**
     * Caps the threads of ND4J's native ops and of its BLAS. On a small machine OpenMP and
     * OpenBLAS threads oversubscribe the cores: the seed's dense model trained 2.8 times slower
     * with two threads than with one on two cores. Call it once at start, before training:
     * changing it later makes native libraries rebuild their thread pools.
     */
    public static void limitThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        // Nd4j first: it loads the backend that NativeOpsHolder needs.
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        // Environment.setMaxThreads alone leaves libnd4j's OpenMP pool at one thread per core;
        // this is what OMP_NUM_THREADS would have set.
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }
}
