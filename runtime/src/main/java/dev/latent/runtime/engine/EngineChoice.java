package dev.latent.runtime.engine;

/**
 * What a user or a test may ask of the engine, beyond what the machine allows: the fastest path
 * (the default), ND4J's kernels instead of oneDNN's (the reference backend), or DL4J's own
 * {@code fit} (the reference path). {@code -Dlatent.engine=dl4j} and {@code -Dlatent.onednn.off=true}
 * ask the same for a whole JVM.
 */
public enum EngineChoice {
    /** The executor, every op on the fastest kernel this machine has. */
    AUTO,
    /** The executor, every op on ND4J's kernels. */
    ND4J_KERNELS,
    /** DL4J's {@code ComputationGraph.fit}. */
    DL4J_FIT
}
