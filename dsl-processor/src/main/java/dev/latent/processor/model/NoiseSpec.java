package dev.latent.processor.model;

import dev.latent.dsl.Resample;

/**
 * The declared {@code @Noise}, or {@link #NONE} without one.
 *
 * @param custom the custom noise class, or null
 */
public record NoiseSpec(double gaussian, double masking, double saltAndPepper, double blockMasking, int blockSize,
        boolean clip, Resample resample, CustomClass custom, SourceRef source) {

    /** {@code @Noise(blockSize)}'s default. */
    public static final int DEFAULT_BLOCK_SIZE = 4;

    /** No {@code @Noise}: clean input. */
    public static NoiseSpec none(SourceRef model) {
        return new NoiseSpec(0, 0, 0, 0, DEFAULT_BLOCK_SIZE, true, Resample.EVERY_BATCH, null, model);
    }

    public boolean isNone() {
        return custom == null && gaussian == 0 && masking == 0 && saltAndPepper == 0 && blockMasking == 0;
    }
}
