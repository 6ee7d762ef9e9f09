package dev.latent.spark;

import dev.latent.dsl.Resample;
import dev.latent.runtime.noise.NoiseSettings;
import java.io.Serializable;

/**
 * The values of a {@link NoiseSettings}, carried to the executors, which rebuild the settings
 * there. A custom noise class has no such values, so it does not travel.
 */
record NoiseSpec(double gaussian, double masking, double saltAndPepper, double blockMasking, int blockSize,
        boolean clip, Resample resample) implements Serializable {

    static NoiseSpec of(NoiseSettings noise) {
        if (noise.isCustom()) {
            throw new IllegalArgumentException("custom noise " + noise + " cannot be sent to Spark's executors; "
                    + "train with the declared noise settings (gaussian, masking, blockMasking, saltAndPepper)");
        }
        return new NoiseSpec(noise.gaussian(), noise.masking(), noise.saltAndPepper(), noise.blockMasking(),
                noise.blockSize(), noise.clip(), noise.resample());
    }

    NoiseSettings settings() {
        return NoiseSettings.none().withGaussian(gaussian).withMasking(masking).withSaltAndPepper(saltAndPepper)
                .withBlockMasking(blockMasking, blockSize).withClip(clip).withResample(resample);
    }
}
