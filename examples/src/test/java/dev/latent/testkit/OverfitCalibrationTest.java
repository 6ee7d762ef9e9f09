package dev.latent.testkit;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.noise.NoiseModel;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures how far sound models get in {@code overfitsOneBatch}'s loop, the numbers behind its
 * defaults (docs/testing-calibration.md). Minutes of CPU: runs only with
 * {@code -Dlatent.calibrate=true}.
 */
@EnabledIfSystemProperty(named = "latent.calibrate", matches = "true")
class OverfitCalibrationTest {
    private static final int BUDGET = 2_000;
    private static final int[] AT = {150, 300, 500, 1_000, 2_000};

    @Test
    void printTheTable() {
        List<AutoencoderNetwork> models = List.of(
                new dev.latent.examples.kit.SmallDenseVectorNetwork(),
                new dev.latent.examples.kit.StandardisedDenseVectorNetwork(),
                new dev.latent.examples.seed.SeedExample1Network(),
                new dev.latent.examples.seed.SeedExample2Network(),
                new dev.latent.examples.seed.SeedExample3Network(),
                new dev.latent.examples.kit.RegularisedDenoiserNetwork(),
                new dev.latent.examples.verdicts.NormalisedConvNetwork(),
                new dev.latent.examples.weather.WeatherLstmNetwork(),
                new dev.latent.examples.kit.SymmetricSigmoidNetwork());
        StringBuilder table = new StringBuilder("| model | parameters | optimizer, rate | loss | steps to 0.75 | "
                + "steps to 0.9 | fraction at 150 | 300 | 500 | 1000 | 2000 |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (AutoencoderNetwork network : models) {
            OneBatchOverfit.Run run = measure(network);
            int reached = stepsTo(run, 0.75);
            int close = stepsTo(run, 0.9);
            table.append(String.format(Locale.ROOT, "| %s | %,d | %s %s | %s | %s | %s |",
                    network.modelName().substring(network.modelName().lastIndexOf('.') + 1), network.parameterCount(),
                    network.training().optimizer(), NetworkAssert.num(network.training().learningRate()),
                    network.loss(), reached > 0 ? String.valueOf(reached) : "> " + BUDGET,
                    close > 0 ? String.valueOf(close) : "> " + BUDGET));
            for (int at : AT) {
                table.append(String.format(Locale.ROOT, " %.3f%s |", run.fractionAt(at), at > run.steps() ? "+" : ""));
            }
            table.append('\n');
        }
        System.out.println(table.toString().lines().map(l -> "#### " + l).collect(java.util.stream.Collectors.joining("\n")));
    }

    private static int stepsTo(OneBatchOverfit.Run run, double fraction) {
        for (int i = 1; i <= run.steps(); i++) {
            if (run.fractionAt(i) >= fraction) {
                return i;
            }
        }
        return 0;
    }

    // As overfitsOneBatch runs it, to a loss of a tenth of the start (so the table reaches past 0.75).
    private static OneBatchOverfit.Run measure(AutoencoderNetwork network) {
        Engine engine = Engines.create(network, network.training(), network.loss());
        INDArray clean = SyntheticBatch.of(network.inputShape(), network.range(), NetworkAssert.DEFAULT_BATCH_SIZE);
        NoiseModel noise = network.noise().toModel();
        INDArray noisy;
        try (Random random = Nd4j.getRandomFactory().getNewRandomInstance(network.training().seed())) {
            noisy = noise.corrupt(clean, network.range(), random);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        double floor = network.loss().evaluate(clean, clean);
        return OneBatchOverfit.run(() -> engine.fitBatch(noisy, clean), floor, BUDGET, 0.1);
    }
}
