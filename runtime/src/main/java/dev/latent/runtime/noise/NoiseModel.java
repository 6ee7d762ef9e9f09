package dev.latent.runtime.noise;

import dev.latent.dsl.DataRange;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * A corruption the autoencoder learns to undo. Implement it, with a public no-argument
 * constructor, and name the class in {@code @Noise(custom = ...)} to replace the built-in kinds.
 * Draw every random number from {@code random}, so that a run is reproducible from its seed.
 */
public interface NoiseModel {

    /**
     * A corrupted copy of {@code clean} (a batch in the engine's layout); {@code clean} must not
     * change. {@code range} is the data's range, for clipping.
     */
    INDArray corrupt(INDArray clean, DataRange range, Random random);

    /**
     * As {@link #corrupt(INDArray, DataRange, Random)}, into {@code reuse} where the model can:
     * an array of {@code clean}'s shape and type whose values the caller no longer needs. Returns
     * {@code reuse} filled, or a new array; the draws from {@code random} are the same either way.
     * The trainer hands back its spent batches, so that fresh noise every batch does not make a
     * new array every batch (each one's pages faulted in, then collected). This default ignores
     * {@code reuse}.
     */
    default INDArray corrupt(INDArray clean, DataRange range, Random random, INDArray reuse) {
        return corrupt(clean, range, random);
    }
}
