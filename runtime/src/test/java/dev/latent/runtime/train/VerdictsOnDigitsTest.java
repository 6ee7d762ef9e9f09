package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.EpochHealth;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each failing verdict, from a real model built to fail that way, on 1,000 real digits (the seed's
 * noise-2.0 model is in the examples' tests), and the inside measurements behind them.
 */
class VerdictsOnDigitsTest {
    private static Dataset digits;

    @BeforeAll
    static void load() {
        digits = Mnist.digits(1000);
    }

    @Test
    void almostNoNoiseAndACodeAsWideAsTheInputIsIdentity() {
        TrainingResult result = DenoisingTrainer.of(new SmallDenseNetwork(784)).noise(NoiseSettings.gaussian(0.01))
                .epochs(3).quiet().fit(digits);

        assertEquals(Verdict.IDENTITY, result.verdict(), result.toString());
        assertTrue(result.diagnosis().summary().contains("times the identity baseline"), result.diagnosis().summary());
        // From the model's own noise, never a value it already has.
        assertTrue(result.diagnosis().advice().contains("raise gaussian from 0.01 to 0.015 (@Noise(gaussian = 0.015))"),
                result.diagnosis().advice());
        assertEquals(784, result.epochs().get(2).health().codeVariances().size());
    }

    @Test
    void aLearningRateOfTenDiverges() {
        TrainingResult result = DenoisingTrainer.of(new SmallDenseNetwork()).learningRate(10).epochs(3).quiet().fit(digits);

        assertEquals(Verdict.DIVERGED, result.verdict(), result.toString());
        EpochHealth first = result.epochs().get(0).health();
        assertTrue(first.medianLogFirstUpdateRatio() > 0, "Adam at 10 moves each weight by 10: " + first);
        assertTrue(result.diagnosis().summary().contains("in epoch 1 a single step changed the weights by 10^"),
                result.diagnosis().summary());
        assertTrue(result.diagnosis().advice().contains("learning rate is far too high: lower it tenfold, from ADAM at 10 to 1"),
                result.diagnosis().advice());
        // The wreck it leaves behind: most of the code is dead, and it is worse than the mean image.
        assertTrue(result.epochs().get(2).health().deadCodeShare() >= 0.5, result.toString());
        assertTrue(result.finalValidationLoss() > result.baselines().meanLoss(), result.toString());
    }

    @Test
    void oneBatchIsUndertrained() {
        TrainingResult result = DenoisingTrainer.of(new SmallDenseNetwork()).epochs(1).limitBatches(1).quiet().fit(digits);

        assertEquals(Verdict.UNDERTRAINED, result.verdict(), result.toString());
        assertEquals(1, result.epochs().get(0).batches());
        assertTrue(result.diagnosis().summary().startsWith("only 1 gradient step in 1 epoch"), result.diagnosis().summary());
        assertTrue(result.diagnosis().advice().contains("at 1 step per epoch, raise epochs from 1 to 250 or more"),
                result.diagnosis().advice());
    }

    @Test
    void aModelStillFallingSteeplyIsUndertrainedAndPassesWhenTrainedOn() {
        // Three epochs leave the sound model just short of the identity baseline, its loss falling 16% an epoch:
        // judged as it stands it would be IDENTITY, and the noise (0.3) is not what is wrong.
        TrainingResult early = DenoisingTrainer.of(new SmallDenseNetwork()).epochs(3).quiet().fit(digits);

        assertEquals(Verdict.UNDERTRAINED, early.verdict(), early.toString());
        assertTrue(early.diagnosis().summary().startsWith("still improving fast when it stopped: in epoch 3 the training "
                + "loss went from"), early.diagnosis().summary());
        String advice = early.diagnosis().advice();
        assertTrue(advice.startsWith("Train longer before changing the model: falling on by the last epoch's"), advice);
        assertTrue(advice.contains("raise epochs from 3 to "), advice);
        assertFalse(advice.contains("noise"), advice);

        TrainingResult trained = DenoisingTrainer.of(new SmallDenseNetwork()).epochs(6).quiet().fit(digits);
        assertEquals(Verdict.HEALTHY, trained.verdict(), trained.toString());
    }

    @Test
    void aLearningRateOfOneInAMillionIsAPlateauAndTheAdviceStartsFromIt() {
        TrainingResult result = DenoisingTrainer.of(new SmallDenseNetwork()).learningRate(1e-6).epochs(3).quiet()
                .fit(digits);

        assertEquals(Verdict.PLATEAU, result.verdict(), result.toString());
        assertTrue(result.diagnosis().summary().startsWith("the training loss barely moved"), result.diagnosis().summary());
        assertTrue(result.diagnosis().advice().contains("the learning rate is too low; raise it tenfold, from ADAM at "
                + "1e-6 to 1e-5"), result.diagnosis().advice());
    }

    @Test
    void noiseTooStrongCollapsesAndTheAdviceLowersItKeepingTheRest() {
        NoiseSettings strong = NoiseSettings.gaussian(2.0).withMasking(0.1);
        TrainingResult result = DenoisingTrainer.of(new SmallDenseNetwork()).noise(strong).epochs(3).quiet().fit(digits);

        assertEquals(Verdict.COLLAPSED, result.verdict(), result.toString());
        assertTrue(result.diagnosis().advice().contains("lower gaussian from 2 to 1 and masking from 0.1 to 0.05 "
                + "(@Noise(gaussian = 1, masking = 0.05))"), result.diagnosis().advice());
    }

    @Test
    void aCodeOfOneUnitCollapsesAndTheAdviceWidensIt() {
        TrainingResult result = DenoisingTrainer.of(new SmallDenseNetwork(1)).epochs(3).quiet().fit(digits);

        assertEquals(Verdict.COLLAPSED, result.verdict(), result.toString());
        assertTrue(result.diagnosis().advice().startsWith("The code carries too little of the input: widen the code"),
                result.diagnosis().advice());
    }

    @Test
    void everyEpochMeasuresTheInside() {
        TrainingResult result = DenoisingTrainer.of(new SmallDenseNetwork()).epochs(2).quiet().fit(digits);

        for (EpochStats epoch : result.epochs()) {
            EpochHealth health = epoch.health();
            assertNotNull(health, epoch.toString());
            assertEquals(16, health.codeVariances().size());
            assertTrue(health.deadCodeShare() >= 0 && health.deadCodeShare() <= 1);
            assertEquals(java.util.List.of("encoder.hidden", "encoder.code", "decoder.hidden", "decoder.pixels"),
                    health.layers().stream().map(EpochHealth.LayerHealth::layer).toList());
            for (EpochHealth.LayerHealth layer : health.layers()) {
                assertTrue(layer.gradientNorm() > 0 && layer.updateRatio() > 0 && layer.firstUpdateRatio() > 0,
                        layer.toString());
            }
            // Adam at 3e-3: DL4J's healthy band reaches 10^-2; this one sits around it.
            assertTrue(health.medianLogUpdateRatio() > -4 && health.medianLogUpdateRatio() < -1, health.toString());
            assertEquals(800 / 16, epoch.batches());
        }
        assertTrue(result.diagnosis().summary().contains("Inside: "), result.diagnosis().summary());
    }
}
