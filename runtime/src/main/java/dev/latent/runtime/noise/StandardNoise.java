package dev.latent.runtime.noise;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.settings.Backend;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.transforms.clip.ClipByValue;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The built-in noise of {@code @Noise}: additive Gaussian, then masking, then block masking,
 * then salt-and-pepper, then clipping to the data range. The Gaussian part is drawn on the heap
 * ({@link GaussianDraw}); the rest are a few ND4J ops over the whole batch.
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
    private final double blockMasking;
    private final int blockSize;

    /** Noise with the given levels; see {@link NoiseSettings} for their meaning. */
    public StandardNoise(double gaussian, double masking, double saltAndPepper, boolean clip) {
        this(gaussian, masking, saltAndPepper, clip, 0, NoiseSettings.DEFAULT_BLOCK_SIZE);
    }

    private StandardNoise(double gaussian, double masking, double saltAndPepper, boolean clip, double blockMasking,
            int blockSize) {
        this.gaussian = gaussian;
        this.masking = masking;
        this.saltAndPepper = saltAndPepper;
        this.clip = clip;
        this.blockMasking = blockMasking;
        this.blockSize = blockSize;
    }

    /** This noise plus block masking; see {@link NoiseSettings#withBlockMasking}. */
    public StandardNoise withBlockMasking(double fraction, int size) {
        return new StandardNoise(gaussian, masking, saltAndPepper, clip, fraction, size);
    }

    @Override
    public INDArray corrupt(INDArray clean, DataRange range, Random random) {
        return corrupt(clean, range, random, null);
    }

    /** Gaussian noise alone is drawn into {@code reuse}; the other kinds make a new array. */
    @Override
    public INDArray corrupt(INDArray clean, DataRange range, Random random, INDArray reuse) {
        INDArray noisy;
        boolean onlyGaussian = masking == 0 && blockMasking == 0 && (saltAndPepper == 0 || !range.isBounded());
        boolean clipped = clip && range.isBounded();
        if (gaussian > 0 && onlyGaussian) {
            // Drawn, added and clipped in one pass: the common case, and per batch the costly one.
            return GaussianDraw.addTo(clean, gaussian, clipped, range.min(), range.max(), random, reuse);
        }
        if (gaussian > 0) {
            noisy = GaussianDraw.addTo(clean, gaussian, false, 0, 0, random, null);
        } else {
            noisy = clean.dup();
        }
        if (masking > 0) {
            noisy.muli(bernoulli(clean, 1.0 - masking, random));
        }
        if (blockMasking > 0) {
            noisy.muli(blocksKept(clean, random));
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

    /**
     * 1 where a sample is kept and 0 under its blocks, shaped like {@code clean}. Block corners
     * are drawn independently per pixel (or per position of a vector) and spread into
     * {@code blockSize} squares (spans) by a max pooling of stride 1, so blocks land anywhere,
     * overlap, and cross the edge; a corner probability of {@code 1 - (1 - f)^(1 / area)} covers
     * the fraction {@code f} of the sample away from its edges. Every channel of a pixel is
     * hidden together, as an occluder would; on a sequence {@code [n, F, T]} a span is of time
     * steps, every feature of a step hidden together, as a sensor outage would.
     */
    private INDArray blocksKept(INDArray clean, Random random) {
        long n = clean.size(0);
        boolean image = clean.rank() == 4;
        boolean sequence = clean.rank() == 3;
        long height = image ? clean.size(2) : 1;
        long width = image ? clean.size(3) : sequence ? clean.size(2) : clean.length() / n;
        int blockHeight = image ? blockSize : 1;
        double area = (double) blockHeight * blockSize;
        double cornerProbability = 1 - Math.pow(1 - blockMasking, 1 / area);
        INDArray corners = bernoulli(Nd4j.createUninitialized(clean.dataType(), n, 1, height, width), cornerProbability,
                random);
        Pooling2DConfig spread = Pooling2DConfig.builder().kH(blockHeight).kW(blockSize).sH(1).sW(1)
                .type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.SAME).isNHWC(false).build();
        INDArray hidden = Nd4j.exec(new MaxPooling2D(corners, spread))[0];
        INDArray kept = hidden.rsubi(1.0);
        if (sequence) {
            INDArray steps = kept.reshape('c', n, 1, width);
            return clean.size(1) == 1 ? steps : steps.broadcast(clean.shape());
        }
        if (!image) {
            return kept.reshape('c', clean.shape());
        }
        return clean.size(1) == 1 ? kept : kept.broadcast(clean.shape());
    }

    private static INDArray bernoulli(INDArray like, double p, Random random) {
        INDArray draw = Nd4j.createUninitialized(like.dataType(), like.shape());
        Nd4j.getExecutioner().exec(new BernoulliDistribution(draw, p), random);
        return draw;
    }
}
