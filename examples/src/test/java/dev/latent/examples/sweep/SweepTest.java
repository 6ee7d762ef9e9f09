package dev.latent.examples.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latent.dsl.Resample;
import dev.latent.runtime.noise.NoiseSettings;
import org.junit.jupiter.api.Test;

/** The sweep recommends a whole {@code @Noise} annotation: pasting it keeps what the sweep did not change. */
class SweepTest {

    @Test
    void theRecommendationKeepsTheDeclaredMaskingClippingAndResampling() {
        NoiseSettings declared = NoiseSettings.gaussian(0.3).withMasking(0.2).withClip(false)
                .withResample(Resample.EVERY_EPOCH);

        assertEquals("@Noise(gaussian = 0.05, masking = 0.2, clip = false, resample = Resample.EVERY_EPOCH)",
                Sweep.recommendedNoise(declared, 0.05));
    }

    @Test
    void aPlainGaussianModelGetsAPlainGaussianAnnotation() {
        assertEquals("@Noise(gaussian = 0.1)", Sweep.recommendedNoise(NoiseSettings.gaussian(0.5), 0.1));
        assertEquals("@Noise(gaussian = 0.2, blockMasking = 0.3, blockSize = 7)",
                Sweep.recommendedNoise(NoiseSettings.none().withBlockMasking(0.3, 7), 0.2));
    }
}
