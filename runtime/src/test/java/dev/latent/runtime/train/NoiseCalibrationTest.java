package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.LossFunction;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.TrainingSettings;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The noise sweep's recommendation rule, and a real sweep. */
class NoiseCalibrationTest {

    private static NoiseCalibration.Level level(double gaussian, Verdict verdict) {
        TrainingResult result = new TrainingResult("m", TrainingSettings.defaults(), NoiseSettings.gaussian(gaussian),
                LossSettings.of(LossFunction.MSE), "train", 1, "validation", 1, List.of(), new Baselines(0.05, 0.066),
                0.03, new Diagnosis(verdict, "", ""), false, 1, null, 1);
        return new NoiseCalibration.Level(gaussian, result);
    }

    @Test
    void recommendsTheWeakestHealthyLevel() {
        NoiseCalibration c = NoiseCalibration.of(List.of(level(0.05, Verdict.IDENTITY), level(1.0, Verdict.HEALTHY),
                level(0.5, Verdict.HEALTHY), level(2.0, Verdict.COLLAPSED)));
        assertEquals(0.5, c.recommended().orElseThrow().gaussian());
        assertTrue(c.reason().startsWith("gaussian 0.5 is the weakest level with a HEALTHY verdict"), c.reason());
    }

    @Test
    void saysWhyThereIsNoRecommendation() {
        NoiseCalibration weak = NoiseCalibration.of(List.of(level(0.01, Verdict.IDENTITY), level(0.05, Verdict.IDENTITY)));
        assertTrue(weak.recommended().isEmpty());
        assertTrue(weak.reason().contains("sweep stronger noise"), weak.reason());
        NoiseCalibration torn = NoiseCalibration.of(List.of(level(0.1, Verdict.IDENTITY), level(2.0, Verdict.COLLAPSED)));
        assertTrue(torn.reason().contains("sweep levels in between"), torn.reason());
    }

    @Test
    void sweepsARealModel() {
        NoiseCalibration c = NoiseCalibration.sweep(() -> DenoisingTrainer.of(new SmallDenseNetwork()).epochs(1).quiet(),
                new double[] {0.01, 0.3}, Mnist.digits(500), null);

        assertEquals(List.of(0.01, 0.3), c.levels().stream().map(NoiseCalibration.Level::gaussian).toList());
        assertEquals(0.3, c.levels().get(1).result().noise().gaussian());
        assertEquals(c.levels().stream().anyMatch(l -> l.result().verdict() == Verdict.HEALTHY), c.recommended().isPresent());
        assertTrue(c.levels().get(1).result().baselines().identityLoss()
                > 10 * c.levels().get(0).result().baselines().identityLoss(), "each level has its own identity baseline");
        assertThrows(IllegalArgumentException.class, () -> NoiseCalibration.sweep(
                () -> DenoisingTrainer.of(new SmallDenseNetwork()), new double[] {-1}, Mnist.digits(10), null));
    }
}
