package dev.latent.runtime.testing;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.noise.NoiseModel;
import dev.latent.runtime.noise.StandardNoise;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;

/**
 * Gaussian noise that counts its calls and the samples it corrupted, and can poison one call
 * with NaN (to make a run diverge at a chosen batch, as an exploding network would).
 */
public final class CountingNoise implements NoiseModel {
    private final StandardNoise noise = new StandardNoise(0.3, 0, 0, true);
    private final int poisonedCall;
    private int calls;
    private long samples;

    /** Counts, never poisons. */
    public CountingNoise() {
        this(-1);
    }

    /** Counts, and answers NaN on call number {@code poisonedCall} (from 1; the validation copy is call 1). */
    public CountingNoise(int poisonedCall) {
        this.poisonedCall = poisonedCall;
    }

    @Override
    public INDArray corrupt(INDArray clean, DataRange range, Random random) {
        calls++;
        samples += clean.size(0);
        INDArray noisy = noise.corrupt(clean, range, random);
        return calls == poisonedCall ? noisy.assign(Double.NaN) : noisy;
    }

    /** Calls so far. */
    public int calls() {
        return calls;
    }

    /** Samples corrupted so far. */
    public long samples() {
        return samples;
    }
}
