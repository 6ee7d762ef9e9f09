package dev.latent.examples.verdicts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.examples.cli.DataSources;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.train.TrainingResult;
import dev.latent.runtime.train.Verdict;
import org.junit.jupiter.api.Test;

/**
 * A generated model with batch normalisation, trained 4 epochs of 25 batches: its training loss
 * already passes both baselines while its validation loss, scored with running statistics that
 * still lag, does not. That is a model to train on, not one that collapsed.
 */
class BatchNormalizationVerdictTest {

    @Test
    void validationLaggingTrainingInANormalisedModelIsUndertrainedNotCollapsed() {
        DataSources.TrainTest digits = DataSources.mnist(DataRange.UNIT);
        TrainingResult result = NormalisedConvTrainer.create().epochs(4).limitBatches(25).quiet()
                .fit(digits.train().head(800), digits.test().head(300));

        EpochStats last = result.epochs().get(3);
        assertTrue(last.validationLoss() > 1.5 * last.trainLoss(), result.toString());
        assertEquals(Verdict.UNDERTRAINED, result.verdict(), result.toString());
        assertTrue(result.diagnosis().summary().contains("times the training loss"), result.diagnosis().summary());
        assertTrue(result.diagnosis().summary().contains("the model has batch normalisation"),
                result.diagnosis().summary());
        assertTrue(result.diagnosis().advice().startsWith("Batch normalisation (encoder.norm1, decoder.norm1) "
                + "normalises each training batch by its own statistics"), result.diagnosis().advice());
        assertTrue(result.diagnosis().advice().contains("larger batch than 32"), result.diagnosis().advice());
    }
}
