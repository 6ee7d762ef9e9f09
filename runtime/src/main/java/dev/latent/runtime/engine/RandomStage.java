package dev.latent.runtime.engine;

/**
 * A stage that draws random numbers in training (dropout's masks): its generator's state goes
 * into a checkpoint and comes back on resume, so that a resumed run draws what the uninterrupted
 * run would have drawn.
 */
interface RandomStage extends Stage {
    /** The generator's state now: a copy, which later draws leave as it is. */
    long[] randomState();

    /** Puts the generator back into {@code state}, as {@link #randomState()} gave it. */
    void restoreRandomState(long[] state);
}
