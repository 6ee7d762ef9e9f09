package dev.latent.runtime.noise;

import dev.latent.dsl.Resample;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The declared noise: built-in kinds applied in the order gaussian, masking, block masking,
 * salt-and-pepper, then clipped to the data range; or a custom {@link NoiseModel}. Immutable; change one value
 * with a {@code with...} method.
 */
public final class NoiseSettings {
    /** Side of a masking block when none is given: {@code @Noise(blockSize)}'s default. */
    public static final int DEFAULT_BLOCK_SIZE = 4;

    private final double gaussian;
    private final double masking;
    private final double saltAndPepper;
    private final double blockMasking;
    private final int blockSize;
    private final boolean clip;
    private final Resample resample;
    private final Supplier<? extends NoiseModel> custom;
    private final String customName;

    private NoiseSettings(double gaussian, double masking, double saltAndPepper, double blockMasking, int blockSize,
            boolean clip, Resample resample, Supplier<? extends NoiseModel> custom, String customName) {
        if (!(gaussian >= 0) || !Double.isFinite(gaussian)) {
            throw new IllegalArgumentException("gaussian must be 0 or more, found " + gaussian);
        }
        if (!(masking >= 0 && masking < 1)) {
            throw new IllegalArgumentException("masking must be in [0, 1), found " + masking);
        }
        if (!(saltAndPepper >= 0 && saltAndPepper < 1)) {
            throw new IllegalArgumentException("saltAndPepper must be in [0, 1), found " + saltAndPepper);
        }
        if (!(blockMasking >= 0 && blockMasking < 1)) {
            throw new IllegalArgumentException("blockMasking must be in [0, 1), found " + blockMasking);
        }
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be at least 1, found " + blockSize);
        }
        this.gaussian = gaussian;
        this.masking = masking;
        this.saltAndPepper = saltAndPepper;
        this.blockMasking = blockMasking;
        this.blockSize = blockSize;
        this.clip = clip;
        this.resample = Objects.requireNonNull(resample, "resample");
        this.custom = custom;
        this.customName = customName;
    }

    /** No noise: the model trains as a plain autoencoder. */
    public static NoiseSettings none() {
        return new NoiseSettings(0, 0, 0, 0, DEFAULT_BLOCK_SIZE, true, Resample.EVERY_BATCH, null, null);
    }

    /** Gaussian noise of standard deviation {@code stdDev}, clipped, drawn every batch. */
    public static NoiseSettings gaussian(double stdDev) {
        return none().withGaussian(stdDev);
    }

    /** A custom noise model, made by {@code factory} (e.g. {@code MyNoise::new}). */
    public static NoiseSettings custom(String name, Supplier<? extends NoiseModel> factory) {
        return new NoiseSettings(0, 0, 0, 0, DEFAULT_BLOCK_SIZE, true, Resample.EVERY_BATCH,
                Objects.requireNonNull(factory, "factory"), Objects.requireNonNull(name, "name"));
    }

    public NoiseSettings withGaussian(double value) {
        return new NoiseSettings(value, masking, saltAndPepper, blockMasking, blockSize, clip, resample, custom, customName);
    }

    public NoiseSettings withMasking(double value) {
        return new NoiseSettings(gaussian, value, saltAndPepper, blockMasking, blockSize, clip, resample, custom, customName);
    }

    public NoiseSettings withSaltAndPepper(double value) {
        return new NoiseSettings(gaussian, masking, value, blockMasking, blockSize, clip, resample, custom, customName);
    }

    /**
     * Hides {@code fraction} of each sample under randomly placed blocks of {@code size} by
     * {@code size} pixels (on vectors: spans of {@code size} consecutive values), set to zero.
     */
    public NoiseSettings withBlockMasking(double fraction, int size) {
        return new NoiseSettings(gaussian, masking, saltAndPepper, fraction, size, clip, resample, custom, customName);
    }

    public NoiseSettings withClip(boolean value) {
        return new NoiseSettings(gaussian, masking, saltAndPepper, blockMasking, blockSize, value, resample, custom, customName);
    }

    public NoiseSettings withResample(Resample value) {
        return new NoiseSettings(gaussian, masking, saltAndPepper, blockMasking, blockSize, clip, value, custom, customName);
    }

    /** Standard deviation of additive Gaussian noise; 0 for none. */
    public double gaussian() {
        return gaussian;
    }

    /** Fraction of elements zeroed; 0 for none. */
    public double masking() {
        return masking;
    }

    /** Fraction of elements set to the range's minimum or maximum; 0 for none. */
    public double saltAndPepper() {
        return saltAndPepper;
    }

    /** Fraction of each sample hidden under blocks; 0 for none. */
    public double blockMasking() {
        return blockMasking;
    }

    /** Side of each masking block in pixels (span length on vectors). */
    public int blockSize() {
        return blockSize;
    }

    /** Whether the noisy input is clipped to the data range. */
    public boolean clip() {
        return clip;
    }

    /** How often noise is drawn anew. */
    public Resample resample() {
        return resample;
    }

    /** Whether a custom model replaces the built-in kinds. */
    public boolean isCustom() {
        return custom != null;
    }

    /** Whether this corrupts anything at all. */
    public boolean isNone() {
        return custom == null && gaussian == 0 && masking == 0 && saltAndPepper == 0 && blockMasking == 0;
    }

    /** The noise model these settings describe. */
    public NoiseModel toModel() {
        return custom != null ? custom.get() : new StandardNoise(gaussian, masking, saltAndPepper, clip)
                .withBlockMasking(blockMasking, blockSize);
    }

    /**
     * The {@code @Noise} annotation that declares these settings, every part kept and defaults left
     * out, to paste over a model's own: {@code @Noise(gaussian = 0.05, masking = 0.2)}.
     *
     * @throws IllegalStateException for a custom noise, which an annotation names by its class
     */
    public String toAnnotation() {
        if (custom != null) {
            throw new IllegalStateException("a custom noise (" + customName + ") has no @Noise values to print");
        }
        List<String> parts = new ArrayList<>();
        if (gaussian > 0) {
            parts.add("gaussian = " + value(gaussian));
        }
        if (masking > 0) {
            parts.add("masking = " + value(masking));
        }
        if (blockMasking > 0) {
            parts.add("blockMasking = " + value(blockMasking));
            if (blockSize != DEFAULT_BLOCK_SIZE) {
                parts.add("blockSize = " + blockSize);
            }
        }
        if (saltAndPepper > 0) {
            parts.add("saltAndPepper = " + value(saltAndPepper));
        }
        if (!clip) {
            parts.add("clip = false");
        }
        if (resample != Resample.EVERY_BATCH) {
            parts.add("resample = Resample." + resample);
        }
        return "@Noise(" + String.join(", ", parts) + ")";
    }

    // The shortest decimal that reads back as the same double: 0.05, not 0.05000000000000000277.
    private static String value(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        if (custom != null) {
            return "custom " + customName + ", resample " + resample;
        }
        if (isNone()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        if (gaussian > 0) {
            s.append(String.format(Locale.ROOT, "gaussian %s, ", gaussian));
        }
        if (masking > 0) {
            s.append(String.format(Locale.ROOT, "masking %s, ", masking));
        }
        if (blockMasking > 0) {
            s.append(String.format(Locale.ROOT, "block masking %s in blocks of %d, ", blockMasking, blockSize));
        }
        if (saltAndPepper > 0) {
            s.append(String.format(Locale.ROOT, "salt-and-pepper %s, ", saltAndPepper));
        }
        s.append(clip ? "clipped" : "not clipped").append(", resample ").append(resample);
        return s.toString();
    }
}
