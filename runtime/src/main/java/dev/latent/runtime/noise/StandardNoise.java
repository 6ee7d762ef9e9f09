package dev.latent.runtime.noise;

import dev.latent.runtime.Backend;
import dev.latent.dsl.DataRange;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.clip.ClipByValue;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The built-in noise of {@code @Noise}: additive Gaussian, then masking, then salt-and-pepper,
 * then clipping to the data range. Every step is one ND4J op over the whole batch.
 */
public final class StandardNoise implements NoiseModel {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    private final double gaussian;
    private final double masking;
    private final double saltAndPepper;
    private final boolean clip;

    /** Noise with the given levels; see {@link NoiseSettings} for their meaning. */
    public StandardNoise(double gaussian, double masking, double saltAndPepper, boolean clip) {
        this.gaussian = gaussian;
        this.masking = masking;
        this.saltAndPepper = saltAndPepper;
        this.clip = clip;
    }

    @Override
    public INDArray corrupt(INDArray clean, DataRange range, Random random) {
        INDArray noisy;
        if (gaussian > 0) {
            // The draw becomes the result: one array per batch instead of a copy and a draw.
            noisy = Nd4j.createUninitialized(clean.dataType(), clean.shape());
            Nd4j.getExecutioner().exec(new GaussianDistribution(noisy, 0.0, gaussian), random);
            noisy.addi(clean);
        } else {
            noisy = clean.dup();
        }
        if (masking > 0) {
            noisy.muli(bernoulli(clean, 1.0 - masking, random));
        }
        if (saltAndPepper > 0 && range.isBounded()) {
            // hit marks the corrupted elements; salt picks max (1) or min (0) for each of them.
            INDArray hit = bernoulli(clean, saltAndPepper, random);
            INDArray salt = bernoulli(clean, 0.5, random);
            INDArray value = salt.mul(range.max() - range.min()).addi(range.min());
            noisy.muli(hit.rsub(1.0)).addi(value.muli(hit));
        }
        if (clip && range.isBounded()) {
            // One pass over the batch, in place.
            ClipByValue clipToRange = new ClipByValue(noisy, range.min(), range.max());
            clipToRange.addOutputArgument(noisy);
            Nd4j.exec(clipToRange);
        }
        return noisy;
    }

    private static INDArray bernoulli(INDArray like, double p, Random random) {
        INDArray draw = Nd4j.createUninitialized(like.dataType(), like.shape());
        Nd4j.getExecutioner().exec(new BernoulliDistribution(draw, p), random);
        return draw;
    }
}
