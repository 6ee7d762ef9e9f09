package dev.latent.examples.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.examples.cli.DataSources;
import dev.latent.runtime.Shape;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.train.TrainingResult;
import dev.latent.runtime.train.Verdict;
import java.nio.file.Path;
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
}
