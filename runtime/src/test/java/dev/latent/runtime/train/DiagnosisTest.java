package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.Resample;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.EpochHealth;
import dev.latent.runtime.settings.EpochStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict rules, in order, on made-up curves. */
class DiagnosisTest {
    private static final Baselines BASELINES = new Baselines(0.05, 0.066);
    private static final NoiseSettings NOISE = NoiseSettings.gaussian(0.3);

    private static List<EpochStats> curve(double... trainThenVal) {
        List<EpochStats> epochs = new ArrayList<>();
        for (int i = 0; i < trainThenVal.length; i += 2) {
            epochs.add(new EpochStats(i / 2 + 1, trainThenVal[i], trainThenVal[i + 1], 1.0, 1000));
        }
        return epochs;
    }

    @Test
    void healthyReportsWhatItRemoved() {
        Diagnosis d = Diagnosis.diagnose(curve(0.08, 0.06, 0.05, 0.0398, 0.04, 0.0396), BASELINES, false, NOISE);
        assertEquals(Verdict.HEALTHY, d.verdict());
        assertEquals("validation loss 0.0396 removes 40% of the mean-image loss 0.066 and is 0.792 times the identity "
                + "baseline 0.05.", d.summary());
        assertEquals("Nothing to change.", d.advice());
    }

    @Test
    void healthyButStillImprovingSaysSo() {
        Diagnosis d = Diagnosis.diagnose(curve(0.08, 0.05, 0.05, 0.03), BASELINES, false, NOISE);
        assertEquals(Verdict.HEALTHY, d.verdict());
        assertTrue(d.advice().startsWith("Still improving"), d.advice());
    }

    @Test
    void nonFiniteLossDiverges() {
        Diagnosis d = Diagnosis.diagnose(curve(0.08, 0.04, Double.NaN, Double.NaN), BASELINES, true, NOISE);
        assertEquals(Verdict.DIVERGED, d.verdict());
        assertTrue(d.summary().contains("epoch 2"), d.summary());
        assertTrue(d.advice().contains("learning rate"), d.advice());
    }

    @Test
    void explodingTrainLossDiverges() {
        Diagnosis d = Diagnosis.diagnose(curve(0.05, 0.04, 0.08, 0.04, 0.11, 0.04), BASELINES, false, NOISE);
        assertEquals(Verdict.DIVERGED, d.verdict());
        assertTrue(d.summary().contains("rose from 0.05 (epoch 1) to 0.11 (epoch 3)"), d.summary());
    }

    @Test
    void collapseBlamesStrongNoiseOrTheCode() {
        Diagnosis strong = Diagnosis.diagnose(curve(0.08, 0.06, 0.07, 0.06), BASELINES, false, NoiseSettings.gaussian(2.0));
        assertEquals(Verdict.COLLAPSED, strong.verdict());
        assertTrue(strong.summary().contains("removes only 9.1% of the mean-image loss 0.066"), strong.summary());
        assertTrue(strong.advice().contains("gaussian 2.0"), strong.advice());

        Diagnosis narrow = Diagnosis.diagnose(curve(0.08, 0.06, 0.07, 0.06), BASELINES, false, NOISE);
        assertTrue(narrow.advice().contains("widen the code"), narrow.advice());

        Diagnosis broken = Diagnosis.diagnose(curve(0.12, 0.11, 0.11, 0.11), BASELINES, false, NOISE);
        assertEquals(Verdict.COLLAPSED, broken.verdict());
        assertTrue(broken.summary().contains("removes none of"), broken.summary());
        assertTrue(broken.advice().contains("learning rate too high"), broken.advice());
    }

    @Test
    void noBetterThanTheInputIsIdentity() {
        Diagnosis d = Diagnosis.diagnose(curve(0.06, 0.047, 0.05, 0.046), BASELINES, false, NOISE);
        assertEquals(Verdict.IDENTITY, d.verdict());
        assertTrue(d.summary().contains("0.92 times the identity baseline 0.05"), d.summary());

        Diagnosis none = Diagnosis.diagnose(curve(0.06, 0.01, 0.05, 0.01), new Baselines(0, 0.066), false,
                NoiseSettings.none());
        assertEquals(Verdict.IDENTITY, none.verdict());
        assertTrue(none.advice().contains("no noise"), none.advice());
        assertTrue(none.summary().contains("cannot beat the identity baseline 0"), none.summary());
        assertFalse(none.summary().contains("inf"), none.summary());
        Diagnosis once = Diagnosis.diagnose(curve(0.06, 0.047, 0.05, 0.046), BASELINES, false,
                NOISE.withResample(Resample.ONCE));
        assertTrue(once.advice().contains("EVERY_BATCH"), once.advice());
    }

    @Test
    void flatTrainingLossIsAPlateau() {
        Diagnosis d = Diagnosis.diagnose(curve(0.030, 0.03, 0.0299, 0.03, 0.0298, 0.03), BASELINES, false, NOISE);
        assertEquals(Verdict.PLATEAU, d.verdict());
        assertTrue(d.summary().contains("0.03 in epoch 1, 0.0298 in epoch 3"), d.summary());
    }

    @Test
    void crossEntropyIsJudgedAboveItsFloor() {
        // Grey pixels make a perfect reconstruction score 0.1077; 0.2 would be "collapsed" against 0.2658 raw.
        Baselines bce = new Baselines(0.2649, 0.2658, 0.1077);
        Diagnosis d = Diagnosis.diagnose(curve(0.3, 0.2, 0.2, 0.18), bce, false, NOISE);
        assertEquals(Verdict.HEALTHY, d.verdict(), d.toString());
        assertTrue(d.summary().contains("perfect-reconstruction floor 0.1077"), d.summary());
    }

    /** A run of {@code epochs} epochs of {@code batches} steps each, whose last epoch measured {@code health}. */
    private static List<EpochStats> measured(EpochHealth health, int batches, double... trainThenVal) {
        List<EpochStats> epochs = new ArrayList<>();
        for (int i = 0; i < trainThenVal.length; i += 2) {
            boolean last = i + 2 == trainThenVal.length;
            epochs.add(new EpochStats(i / 2 + 1, trainThenVal[i], trainThenVal[i + 1], 1.0, 1000, 1e-3, batches,
                    last ? health : null));
        }
        return epochs;
    }

    private static EpochHealth health(double dead, double lastRatio, double firstRatio) {
        return new EpochHealth(dead, List.of(0.0, 0.5, 0.2, 0.1), List.of(
                new EpochHealth.LayerHealth("encoder.code", 0.3, lastRatio, firstRatio),
                new EpochHealth.LayerHealth("decoder.pixels", 0.1, lastRatio, firstRatio)));
    }

    @Test
    void fewStepsAreUndertrainedUnlessTheModelAlreadyPasses() {
        Diagnosis few = Diagnosis.diagnose(measured(health(0, 1e-2, 1e-1), 3, 0.2, 0.09), BASELINES, false, NOISE);
        assertEquals(Verdict.UNDERTRAINED, few.verdict());
        assertTrue(few.summary().startsWith("only 3 gradient steps in 1 epoch"), few.summary());

        Diagnosis good = Diagnosis.diagnose(measured(health(0, 1e-3, 1e-2), 3, 0.2, 0.03), BASELINES, false, NOISE);
        assertEquals(Verdict.HEALTHY, good.verdict());
        Diagnosis many = Diagnosis.diagnose(measured(health(0, 1e-3, 1e-2), 50, 0.2, 0.09), BASELINES, false, NOISE);
        assertEquals(Verdict.COLLAPSED, many.verdict());
    }

    @Test
    void updatesAsLargeAsTheWeightsDiverge() {
        Diagnosis d = Diagnosis.diagnose(measured(health(0.75, 1e-6, 30), 100, 0.2, 0.09), BASELINES, false, NOISE);
        assertEquals(Verdict.DIVERGED, d.verdict());
        assertTrue(d.summary().startsWith("in epoch 1 a single step changed the weights by 10^1.5 of their size"),
                d.summary());
        assertTrue(d.summary().contains("Inside: 3 of the code's 4 dimensions are dead"), d.summary());
    }

    @Test
    void deadCodeAndUpdateRatiosSteerTheAdvice() {
        Diagnosis dead = Diagnosis.diagnose(measured(health(0.75, 1e-3, 1e-2), 100, 0.08, 0.06, 0.07, 0.06), BASELINES,
                false, NOISE);
        assertEquals(Verdict.COLLAPSED, dead.verdict());
        assertTrue(dead.advice().startsWith("Most of the code is dead"), dead.advice());

        Diagnosis stalled = Diagnosis.diagnose(measured(health(0.25, 1e-6, 1e-3), 100, 0.08, 0.06, 0.07, 0.06),
                BASELINES, false, NOISE);
        assertEquals(Verdict.COLLAPSED, stalled.verdict());
        assertTrue(stalled.advice().startsWith("The last step moved the parameters by 10^-6.0 of their size"),
                stalled.advice());

        Diagnosis slow = Diagnosis.diagnose(measured(health(0, 1e-6, 1e-5), 100, 0.030, 0.03, 0.0299, 0.03, 0.0298, 0.03),
                BASELINES, false, NOISE);
        assertEquals(Verdict.PLATEAU, slow.verdict());
        assertTrue(slow.advice().contains("10^-6.0 of the parameters, below DL4J's 10^-4: the learning rate is too low"),
                slow.advice());
        assertTrue(slow.summary().contains("update-to-parameter ratio 10^-6.0 (last step, median over 2 layers"),
                slow.summary());
        assertTrue(slow.summary().contains("largest gradient norm 0.3 in encoder.code"), slow.summary());
    }

    private static ModelFacts facts(List<String> batchNormalization, List<String> dropout) {
        return new ModelFacts(NOISE, dev.latent.dsl.Optimizer.ADAM, 3e-3, 3, 32, batchNormalization, dropout, "relu");
    }

    @Test
    void aLossStillFallingSteeplyIsUndertrainedWithTheEpochsItNeeds() {
        // Validation 0.08 -> 0.06 -> 0.048: 20% in the last epoch; passing needs 0.045 (0.9 of identity).
        Diagnosis d = Diagnosis.diagnose(measured(null, 100, 0.1, 0.08, 0.07, 0.06, 0.055, 0.048), BASELINES, 0.048,
                false, facts(List.of(), List.of()));
        assertEquals(Verdict.UNDERTRAINED, d.verdict(), d.toString());
        assertTrue(d.summary().contains("the validation loss from 0.06 to 0.048 (-20%)"), d.summary());
        assertTrue(d.advice().contains("it would pass both baselines in about 1 more epoch; raise epochs from 3 to 4"),
                d.advice());

        // A fall of 10% from ten times the identity baseline would need 22 more epochs: judged as it stands.
        Diagnosis far = Diagnosis.diagnose(measured(null, 100, 0.5, 0.5, 0.4, 0.45), BASELINES, 0.45, false,
                facts(List.of(), List.of()));
        assertEquals(Verdict.COLLAPSED, far.verdict(), far.toString());
    }

    @Test
    void validationFarAboveTrainingIsBatchNormalisationsLagOrOverfitting() {
        List<EpochStats> gap = measured(null, 100, 0.05, 0.07, 0.03, 0.07, 0.025, 0.069);
        Diagnosis normalised = Diagnosis.diagnose(gap, BASELINES, 0.069, false, facts(List.of("encoder.norm1"), List.of()));
        assertEquals(Verdict.UNDERTRAINED, normalised.verdict(), normalised.toString());
        assertTrue(normalised.summary().startsWith("the validation loss 0.069 is 2.76 times the training loss 0.025"),
                normalised.summary());
        assertTrue(normalised.advice().startsWith("Batch normalisation (encoder.norm1)"), normalised.advice());

        Diagnosis plain = Diagnosis.diagnose(gap, BASELINES, 0.069, false, facts(List.of(), List.of("encoder.drop1")));
        assertEquals(Verdict.COLLAPSED, plain.verdict(), plain.toString());
        assertTrue(plain.advice().startsWith("The training loss 0.025 passes the baselines but the validation loss 0.069 "
                + "does not"), plain.advice());
        assertTrue(plain.advice().contains("raise the dropout of encoder.drop1"), plain.advice());
    }

    @Test
    void adviceStartsFromTheModelsOwnSettingsNeverOneItHas() {
        Diagnosis identity = Diagnosis.diagnose(curve(0.06, 0.047, 0.05, 0.046), BASELINES, 0.046, false,
                facts(List.of(), List.of()));
        assertEquals(Verdict.IDENTITY, identity.verdict());
        assertTrue(identity.advice().contains("raise gaussian from 0.3 to 0.45 (@Noise(gaussian = 0.45))"),
                identity.advice());
        assertFalse(identity.advice().contains("0.2"), "the model already has more noise than 0.2: " + identity.advice());

        Diagnosis rising = Diagnosis.diagnose(curve(0.05, 0.04, 0.08, 0.04, 0.11, 0.04), BASELINES, 0.04, false,
                facts(List.of(), List.of()));
        assertTrue(rising.advice().contains("lower it tenfold, from ADAM at 0.003 to 3e-4"), rising.advice());
    }

    @Test
    void numbersHaveFourSignificantDigits() {
        assertEquals("0.03124", Diagnosis.num(0.0312449));
        assertEquals("1.235e-05", Diagnosis.num(0.0000123456));
        assertEquals("12.35", Diagnosis.num(12.3456));
        assertEquals("NaN", Diagnosis.num(Double.NaN));
    }
}
