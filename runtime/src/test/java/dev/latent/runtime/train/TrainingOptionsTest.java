package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.Optimizer;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.EnginePlan;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.engine.GraphEngine;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.LearningRateSchedule;
import dev.latent.runtime.settings.TrainingSettings;
import dev.latent.runtime.settings.WeightInit;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Learning-rate schedules, gradient clipping, L2 and weight initialisation, on both engines. */
class TrainingOptionsTest {
    private static final Dataset FEW = Mnist.digits(300);

    @Test
    void schedulesGiveTheirRates() {
        assertEquals(List.of(1.0, 1.0, 0.5, 0.5, 0.25), rates(LearningRateSchedule.step(2, 0.5), 5, List.of()));
        assertEquals(List.of(1.0, 0.5, 0.25), rates(LearningRateSchedule.exponential(0.5), 3, List.of()));
        List<Double> cosine = rates(LearningRateSchedule.cosine(0.1), 5, List.of());
        assertEquals(1.0, cosine.get(0), 1e-12);
        // 0.1 + 0.45 (1 + cos(pi (e - 1) / 5)): the last epoch still learns, the minimum comes after it.
        assertEquals(0.1 + 0.45 * (1 + Math.cos(0.4 * Math.PI)), cosine.get(2), 1e-12);
        assertEquals(0.1 + 0.45 * (1 + Math.cos(0.8 * Math.PI)), cosine.get(4), 1e-12);
        assertTrue(cosine.get(4) > 0.1);
        // Validation losses 5, 4, 4, 4, 3: no improvement in epochs 3 and 4, patience 2 halves the rate once.
        List<EpochStats> history = IntStream.of(5, 4, 4, 4, 3).mapToObj(l -> new EpochStats(0, l, l, 1, 1)).toList();
        LearningRateSchedule plateau = LearningRateSchedule.reduceOnPlateau(2, 0.5, 0.3);
        assertEquals(1.0, plateau.rate(1.0, 4, 9, history.subList(0, 3)));
        assertEquals(0.5, plateau.rate(1.0, 5, 9, history.subList(0, 4)));
        assertEquals(0.5, plateau.rate(1.0, 6, 9, history));
        assertEquals(0.3, LearningRateSchedule.reduceOnPlateau(1, 0.1, 0.3).rate(1.0, 5, 9, history), "never below min");
    }

    @Test
    void schedulesReadTheirTextForm() {
        for (String text : List.of("constant", "step:5:0.5", "exponential:0.9", "cosine", "cosine:1.0E-5", "plateau:2:0.5",
                "plateau:2:0.5:1.0E-6")) {
            assertEquals(text, LearningRateSchedule.parse(text).toString());
        }
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.parse("linear"));
        assertTrue(wrong.getMessage().contains("'linear'") && wrong.getMessage().contains("step:EVERY:FACTOR"),
                wrong.getMessage());
        IllegalArgumentException factor = assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.parse("step:5:2"));
        assertTrue(factor.getMessage().contains("(0, 1]"), factor.getMessage());
    }

    @Test
    void theScheduleSetsTheRateOnBothEngines() {
        // After epoch 1 the rate drops a millionfold: the model stops moving, on either engine.
        LearningRateSchedule stop = LearningRateSchedule.exponential(1e-6);
        TrainingResult dense = DenoisingTrainer.of(new SmallDenseNetwork()).epochs(3).schedule(stop).quiet().fit(FEW);
        TrainingResult conv = DenoisingTrainer.of(new TinyConvNetwork()).epochs(3).schedule(stop).quiet()
                .fit(Mnist.twoChannelDigits(200));

        for (TrainingResult result : List.of(dense, conv)) {
            List<EpochStats> e = result.epochs();
            assertEquals(result.training().learningRate() * 1e-6, e.get(1).learningRate(), 1e-15);
            assertEquals(e.get(1).validationLoss(), e.get(2).validationLoss(), 1e-4 * e.get(1).validationLoss(),
                    result.toString());
        }
        TrainingResult constant = DenoisingTrainer.of(new SmallDenseNetwork()).epochs(3).quiet().fit(FEW);
        assertNotEquals(constant.epochs().get(2).validationLoss(), constant.epochs().get(1).validationLoss());
    }

    @Test
    void l2ShrinksTheWeightsAndClippingChangesTheSteps() {
        double plain = weightNorm(DenoisingTrainer.of(new SmallDenseNetwork()).epochs(2).quiet().fit(FEW));
        double penalised = weightNorm(DenoisingTrainer.of(new SmallDenseNetwork()).epochs(2).l2(0.05).quiet().fit(FEW));
        assertTrue(penalised < 0.8 * plain, "L2 0.05: weight norm " + penalised + " against " + plain);

        // Plain SGD, whose step is the gradient itself: Adam would rescale a clipped gradient back up.
        List<Double> free = curve(DenoisingTrainer.of(new SmallDenseNetwork()).optimizer(Optimizer.SGD).learningRate(0.5)
                .epochs(2).quiet().fit(FEW));
        List<Double> clipped = curve(DenoisingTrainer.of(new SmallDenseNetwork()).optimizer(Optimizer.SGD).learningRate(0.5)
                .epochs(2).gradientClipping(1e-3).quiet().fit(FEW));
        assertNotEquals(free, clipped);
        assertTrue(clipped.get(1) > free.get(1), "steps clipped to norm 1e-3 learn slower: " + clipped + " vs " + free);
    }

    @Test
    void clippingAndL2TrainThroughTheExecutor() {
        TinyConvNetwork network = new TinyConvNetwork();
        TrainingSettings settings = network.training();
        for (TrainingSettings options : List.of(settings.withL2(1e-4), settings.withGradientClipping(1), settings)) {
            EnginePlan plan = Engines.create(network, options, network.loss()).plan().orElseThrow();
            assertEquals(EnginePlan.Path.DIRECT, plan.path(), plan.toString());
        }
    }

    @Test
    void weightInitReplacesTheDeclaredScheme() {
        SmallDenseNetwork network = new SmallDenseNetwork();
        Engine declared = Engines.create(network, network.training(), network.loss());
        Engine he = Engines.create(network, network.training().withWeightInit(WeightInit.HE_NORMAL), network.loss());

        // The first layer's 784 x 64 weights: glorot uniform has std sqrt(2 / (784 + 64)), He normal sqrt(2 / 784).
        assertEquals(Math.sqrt(2.0 / (784 + 64)), firstWeights(declared).stdNumber().doubleValue(), 0.003);
        assertEquals(Math.sqrt(2.0 / 784), firstWeights(he).stdNumber().doubleValue(), 0.003);
        TrainingResult trained = DenoisingTrainer.of(network).weightInit(WeightInit.HE_UNIFORM).epochs(2).quiet().fit(FEW);
        assertTrue(trained.epochs().get(1).validationLoss() < trained.epochs().get(0).validationLoss(), trained.toString());
        assertEquals(WeightInit.HE_UNIFORM, trained.training().weightInit());
    }

    private static INDArray firstWeights(Engine engine) {
        return engine.parameters().get(NDArrayIndex.interval(0, 784 * 64));
    }

    private static List<Double> rates(LearningRateSchedule schedule, int epochs, List<EpochStats> history) {
        List<Double> rates = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            rates.add(schedule.rate(1.0, epoch, epochs, history));
        }
        return rates;
    }

    private static List<Double> curve(TrainingResult result) {
        return result.epochs().stream().map(EpochStats::validationLoss).toList();
    }

    private static double weightNorm(TrainingResult result) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("l2", ".zip");
            try {
                result.model().save(file);
                return firstWeights(GraphEngine.load(file)).norm2Number().doubleValue();
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
