package dev.latent.testkit;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.noise.NoiseModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A custom noise with a common mistake: it draws from a {@link java.util.Random} of its own,
 * seeded from the clock, instead of the generator it is given, so two runs with the same seed
 * corrupt the same batch differently.
 */
public final class UnseededNoise implements NoiseModel {
    private final java.util.Random own = new java.util.Random();

    @Override
    public INDArray corrupt(INDArray clean, DataRange range, Random random) {
        double[] draws = new double[Math.toIntExact(clean.length())];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = 0.2 * own.nextGaussian();
        }
        return clean.add(Nd4j.create(draws, clean.shape(), DataType.DOUBLE).castTo(clean.dataType()));
    }
}
