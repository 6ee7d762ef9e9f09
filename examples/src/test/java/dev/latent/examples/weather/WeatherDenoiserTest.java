package dev.latent.examples.weather;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.examples.report.TrainingReport;
import dev.latent.runtime.engine.EnginePlan;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.train.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The sequence example end to end, on the real hourly Seattle series. */
class WeatherDenoiserTest {

    @Test
    void theGeneratedNetworkIsTheDeclaredOne() {
        assertEquals(Shape.of(24, 3), WeatherDenoiserNetwork.INPUT_SHAPE);
        assertEquals(48, WeatherDenoiserNetwork.CODE_SIZE);
        assertEquals(WeatherDenoiserNetwork.PARAMETER_COUNT, WeatherDenoiserNetwork.create().numParams());
    }

    @Test
    void oneDimensionalNetworksTrainThroughTheExecutor() {
        WeatherDenoiserNetwork network = new WeatherDenoiserNetwork();
        EnginePlan plan = Engines.create(network, network.training(), network.loss()).plan().orElseThrow();
        assertEquals(EnginePlan.Path.DIRECT, plan.path(), plan.toString());
    }

    @Test
    @Tag("slow")
    void itLearnsTheSeriesBeatsTheBaselinesAndSurvivesSaving(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        // A window every 6 hours and 6 epochs keep this to seconds; the README's figures use every hour.
        WeatherComparison.Outcome outcome = new WeatherComparison(6, 6,
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
        TrainingResult result = outcome.training();
        double first = result.epochs().get(0).trainLoss();
        double last = result.epochs().get(result.epochs().size() - 1).trainLoss();
        assertTrue(last < 0.7 * first, "training loss must fall: " + first + " -> " + last);
        assertTrue(outcome.model() < outcome.identity(), printed.toString(StandardCharsets.UTF_8));
        assertTrue(outcome.model() < 0.5 * outcome.mean(), printed.toString(StandardCharsets.UTF_8));
        assertTrue(outcome.movingAverage() < outcome.identity(), printed.toString(StandardCharsets.UTF_8));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("moving average, best width"));

        // The file holds the sequence reshapes and the scaling; the engine's layout is [n, F, T].
        Denoiser model = result.model();
        Path file = dir.resolve("weather.zip");
        model.save(file);
        Denoiser loaded = Denoiser.load(file);
        INDArray batch = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 3, 24);
        assertEquals(model.denoise(batch), loaded.denoise(batch));
        INDArray one = batch.slice(0);
        assertArrayEquals(new long[] {3, 24}, model.denoise(one).shape());
        assertEquals(model.denoise(batch).slice(0), model.denoise(one));

        // The report draws a sequence as values over time, not as a strip of pixels.
        Path report = dir.resolve("report");
        TrainingReport.write(report, result, new WeatherDenoiserNetwork().summary(), WeatherComparison.data(6).test());
        java.awt.image.BufferedImage samples = javax.imageio.ImageIO.read(report.resolve(TrainingReport.SAMPLES).toFile());
        assertTrue(samples.getHeight() > 400, "a chart, found " + samples.getWidth() + " x " + samples.getHeight());
    }

    @Test
    @Tag("slow")
    void lstmsTrainOnTheSeriesWithAndWithoutReturnSequences() {
        var data = WeatherComparison.data(12);
        TrainingResult result = WeatherLstmTrainer.create().quiet().fit(data.train(), data.test());
        double first = result.epochs().get(0).trainLoss();
        double last = result.epochs().get(result.epochs().size() - 1).trainLoss();
        assertTrue(last < 0.8 * first, "training loss must fall: " + first + " -> " + last);
        assertTrue(result.finalValidationLoss() < result.baselines().meanLoss(), result.toString());
        assertEquals(Shape.of(16), WeatherLstmNetwork.CODE_SHAPE);
        assertArrayEquals(new long[] {2, 16}, result.model().encode(data.test().features().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2))).shape());
    }
}
