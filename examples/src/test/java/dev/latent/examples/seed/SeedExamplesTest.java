package dev.latent.examples.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.examples.cli.DataSources;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.train.TrainingResult;
import dev.latent.runtime.train.Verdict;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The seed models through their generated classes, on the embedded digits. */
class SeedExamplesTest {

    @Test
    void generatedConstantsMatchKeras() {
        assertEquals(209_968L, SeedExample1Network.PARAMETER_COUNT);
        assertEquals(209_968L, SeedExample2Network.PARAMETER_COUNT);
        assertEquals(897_153L, SeedExample3Network.PARAMETER_COUNT);
        assertEquals(Shape.of(28, 28, 1), SeedExample3Network.INPUT_SHAPE);
        assertEquals(64, SeedExample3Network.CODE_SIZE);
        // DL4J's own count of the network the generated code builds agrees with the processor's.
        assertEquals(SeedExample1Network.PARAMETER_COUNT, SeedExample1Network.create().numParams());
        assertEquals(SeedExample3Network.PARAMETER_COUNT, SeedExample3Network.create().numParams());
        assertEquals(0.5, SeedExample1Network.NOISE.gaussian());
        assertEquals(2.0, SeedExample2Network.NOISE.gaussian());
    }

    @Test
    void generatedTrainerLearnsRealDigitsAndTheModelSurvivesSaving(@TempDir Path dir) {
        DataSources.TrainTest digits = DataSources.mnist(DataRange.UNIT);
        Dataset train = digits.train();
        Dataset test = digits.test().head(1_000);
        TrainingResult result = SeedExample1Trainer.create().epochs(5).quiet().fit(train, test);

        double first = result.epochs().get(0).validationLoss();
        double last = result.finalValidationLoss();
        assertTrue(last < first, "validation loss must fall: " + first + " -> " + last);
        assertTrue(last < 0.7 * result.baselines().meanLoss(),
                "validation loss " + last + " must be well below the mean-image baseline " + result.baselines().meanLoss());
        assertEquals(Verdict.HEALTHY, result.diagnosis().verdict(), result.diagnosis().toString());

        Denoiser model = result.model();
        Path file = dir.resolve("seed1.zip");
        model.save(file);
        Denoiser loaded = Denoiser.load(file);
        INDArray input = test.features();
        assertEquals(model.denoise(input), loaded.denoise(input));
        assertEquals(model.encode(input), loaded.encode(input));
        assertEquals(model.decode(model.encode(input)), loaded.decode(loaded.encode(input)));
    }

    @Test
    void theSeedsNoiseTwoModelCollapses() {
        DataSources.TrainTest digits = DataSources.mnist(DataRange.UNIT);
        TrainingResult result = SeedExample2Trainer.create().epochs(3).quiet()
                .fit(digits.train().head(4_000), digits.test().head(1_000));

        assertEquals(Verdict.COLLAPSED, result.verdict(), result.toString());
        assertTrue(result.diagnosis().advice().contains("gaussian 2.0"), result.diagnosis().advice());
        assertTrue(result.diagnosis().summary().contains("Inside: "), result.diagnosis().summary());
        // Clipped gaussian 2.0 leaves a noisy input worse than the mean image: nothing to recover a digit from.
        assertTrue(result.baselines().identityLoss() > result.baselines().meanLoss(), result.baselines().toString());
    }

    @Test
    @Tag("slow")
    void theConvModelTrainsOnTheFastEngineAndItsFileLoadsToTheSameOutputs(@TempDir Path dir) {
        DataSources.TrainTest digits = DataSources.mnist(DataRange.UNIT);
        Dataset train = digits.train().head(640);
        Dataset test = digits.test().head(128);
        TrainingResult result = SeedExample3Trainer.create().epochs(2).quiet().fit(train, test);
        assertTrue(result.finalValidationLoss() < result.epochs().get(0).trainLoss(), result.toString());

        Path file = dir.resolve("seed3.zip");
        result.model().save(file);
        Denoiser loaded = Denoiser.load(file);
        assertEquals(result.model().denoise(test.features()), loaded.denoise(test.features()));
        assertEquals(result.model().encode(test.features()), loaded.encode(test.features()));
    }

    @Test
    void everySeedModelTrainsThroughTheExecutorWithEveryLayerOnOneDnn() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.latent.runtime.settings.Backend.isOneDnn(),
                "the oneDNN natives ship for Linux x86-64 only");
        for (var network : java.util.List.of(new SeedExample1Network(), new SeedExample2Network(), new SeedExample3Network())) {
            var plan = dev.latent.runtime.engine.Engines.create(network, network.training(), network.loss()).plan().orElseThrow();
            assertEquals(dev.latent.runtime.engine.EnginePlan.Path.DIRECT, plan.path(), plan.toString());
            assertTrue(plan.downgrades().isEmpty(), plan.toString());
            assertTrue(plan.steps().stream().noneMatch(step -> step.kernel() == dev.latent.runtime.engine.EnginePlan.Kernel.ND4J),
                    plan.toString());
        }
    }
}
