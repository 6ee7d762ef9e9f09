package dev.latent.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.dsl.Optimizer;
import dev.latent.dsl.Resample;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.settings.TrainingSettings;
import dev.latent.runtime.testing.CountingNoise;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Training on real MNIST digits: verdicts, overrides, early stopping, checkpoints, noise schedules, determinism. */
class DenoisingTrainerTest {
    private static Dataset digits;
    private static Dataset few;

    @BeforeAll
    static void loadDigits() {
        digits = Mnist.digits(1000);
        few = digits.head(300);
    }

    /** A generated trainer's shape: the fluent methods keep the subclass's type. */
    static final class SmallDenseTrainer extends DenoisingTrainer<SmallDenseTrainer> {
        SmallDenseTrainer() {
            super(new SmallDenseNetwork());
        }

        SmallDenseTrainer fast() {
            return epochs(1).batchSize(100);
        }
    }

    @Test
    void learnsToDenoiseRealDigits() {
        TrainingResult result = new SmallDenseTrainer().quiet().fit(digits);

        List<EpochStats> epochs = result.epochs();
        assertEquals(10, epochs.size());
        assertEquals(800, result.trainSamples());
        assertEquals(200, result.validationSamples());
        double mean = result.baselines().meanLoss();
        assertTrue(result.finalValidationLoss() < 0.7 * mean,
                "validation loss " + result.finalValidationLoss() + " against mean-image baseline " + mean);
        assertTrue(result.finalValidationLoss() < epochs.get(0).validationLoss());
        assertTrue(result.finalValidationLoss() < result.baselines().identityLoss());
        assertEquals(Verdict.HEALTHY, result.verdict(), result.toString());
        assertEquals(epochs.get(epochs.size() - 1).validationLoss(), result.finalValidationLoss());
        assertEquals(0.0, result.baselines().perfectLoss());
        assertFalse(result.stoppedEarly());
        assertEquals(42L, result.seed());
        assertTrue(result.toString().contains("HEALTHY"), result.toString());
        assertTrue(result.toString().contains("mnist-1k-images-idx3-ubyte.gz"), result.toString());
    }

    @Test
    void seedsGaussianTwoIsNotHealthy() {
        TrainingResult result = new SmallDenseTrainer().noise(NoiseSettings.gaussian(2.0)).epochs(5).quiet().fit(digits);

        assertEquals(Verdict.COLLAPSED, result.verdict(), result.toString());
        assertTrue(result.diagnosis().advice().contains("gaussian 2.0"), result.diagnosis().advice());
        // Clipped gaussian 2.0 leaves so little of a digit that the noisy input is worse than the mean image.
        assertTrue(result.baselines().identityLoss() > result.baselines().meanLoss(), result.baselines().toString());
    }

    @Test
    void hugeSgdLearningRateFailsWithoutAnException() {
        TrainingResult result = new SmallDenseTrainer().optimizer(Optimizer.SGD).learningRate(10).epochs(4).quiet()
                .fit(digits);

        assertNotEquals(Verdict.HEALTHY, result.verdict(), result.toString());
        assertTrue(List.of(Verdict.DIVERGED, Verdict.COLLAPSED).contains(result.verdict()), result.toString());
    }

    @Test
    void nonFiniteLossStopsAtOnceAndKeepsTheLastFiniteEpoch(@TempDir Path dir) {
        // 240 training samples in batches of 60: calls 2-5 are epoch 1, call 7 is epoch 2's second batch.
        CountingNoise noise = new CountingNoise(7);
        List<int[]> steps = new ArrayList<>();
        TrainingResult result = new SmallDenseTrainer().noise(NoiseSettings.custom("poisoned", () -> noise))
                .epochs(5).batchSize(60).checkpoints(dir).progress(new Recorder(steps)).fit(few);

        assertEquals(Verdict.DIVERGED, result.verdict(), result.toString());
        assertEquals(2, result.epochs().size());
        assertTrue(Double.isNaN(result.epochs().get(1).trainLoss()));
        // Epoch 2's first batch is the last step taken: the second, the poisoned one, is not recorded.
        assertArrayEquals(new int[] {2, 1, 4}, steps.get(steps.size() - 1), "training stops at the batch that diverged");
        // Noise is drawn a few batches ahead, never past the epoch: epoch 2's four batches at most.
        // How many of them the worker drew before training stopped depends on timing: the poisoned
        // one (call 7) at least.
        assertTrue(noise.calls() >= 7 && noise.calls() <= 9, noise.calls() + " noise draws");
        // The model is epoch 1's, the one last.zip holds.
        assertEquals(result.epochs().get(0).validationLoss(), result.finalValidationLoss());
        INDArray sample = few.features().get(NDArrayIndex.interval(0, 5));
        assertArrayEquals(Denoiser.load(dir.resolve("last.zip")).denoise(sample).ravel().toFloatVector(),
                result.model().denoise(sample).ravel().toFloatVector());
        assertTrue(result.diagnosis().summary().contains("epoch 2"), result.diagnosis().summary());
    }

    @Test
    void overridesTakeEffect() {
        List<int[]> batches = new ArrayList<>();
        SmallDenseTrainer trainer = new SmallDenseTrainer().epochs(1).batchSize(300).validationSplit(0.5)
                .seed(7).learningRate(1e-3).optimizer(Optimizer.RMSPROP).progress(new Recorder(batches));

        TrainingResult result = trainer.fit(digits);

        assertEquals(1, result.epochs().size());
        assertEquals(500, result.trainSamples());
        assertEquals(500, result.validationSamples());
        // 500 samples in batches of 300: a full batch and a short one.
        assertEquals(List.of("1/2", "2/2"), batches.stream().map(b -> b[1] + "/" + b[2]).toList());
        TrainingSettings used = result.training();
        assertEquals(new TrainingSettings(1, 300, Optimizer.RMSPROP, 1e-3, 7L, 0.5, 0), used);
        assertEquals(used, trainer.training());
        assertEquals(10, trainer.network().training().epochs(), "the declared settings stay as declared");
        assertEquals(1, new SmallDenseTrainer().fast().training().epochs());
        assertSame(DenoisingTrainer.class, DenoisingTrainer.of(new SmallDenseNetwork()).getClass().getSuperclass());
    }

    @Test
    void withoutValidationSplitTheTrainingDataStandsIn() {
        TrainingResult result = new SmallDenseTrainer().validationSplit(0).epochs(1).quiet().fit(few);

        assertEquals(300, result.trainSamples());
        assertEquals(0, result.validationSamples());
        assertTrue(result.validationData().contains("training data"), result.validationData());
        assertTrue(Double.isFinite(result.epochs().get(0).validationLoss()));
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestEpoch(@TempDir Path dir) throws Exception {
        // Validating on uniform noise: as the model learns digits it reconstructs noise worse every epoch.
        INDArray uniform = Nd4j.createUninitialized(Nd4j.defaultFloatingPointType(), 100, 1, 28, 28);
        try (Random random = Nd4j.getRandomFactory().getNewRandomInstance(3)) {
            Nd4j.getExecutioner().exec(new UniformDistribution(uniform, 0.0, 1.0), random);
        }
        Dataset noiseImages = Dataset.of(uniform, Shape.of(28, 28, 1), DataRange.UNIT, "uniform noise");

        TrainingResult result = new SmallDenseTrainer().epochs(10).earlyStoppingPatience(2).checkpoints(dir).quiet()
                .fit(few, noiseImages);

        assertTrue(result.stoppedEarly(), result.toString());
        int best = result.bestEpoch();
        assertEquals(best + 2, result.epochs().size(), "stops after 2 epochs without improvement");
        double bestLoss = result.epochs().get(best - 1).validationLoss();
        assertTrue(result.epochs().stream().allMatch(e -> e.validationLoss() >= bestLoss), result.toString());
        assertEquals(bestLoss, result.finalValidationLoss(), "the best epoch's parameters are restored");
        INDArray sample = few.features().get(NDArrayIndex.interval(0, 5));
        float[] restored = result.model().denoise(sample).ravel().toFloatVector();
        assertArrayEquals(Denoiser.load(dir.resolve("best.zip")).denoise(sample).ravel().toFloatVector(), restored);
        assertFalse(java.util.Arrays.equals(
                Denoiser.load(dir.resolve("last.zip")).denoise(sample).ravel().toFloatVector(), restored));
    }

    @Test
    void checkpointsAreWrittenAndLoadable(@TempDir Path dir) throws IOException {
        Path checkpoints = dir.resolve("run");
        TrainingResult result = new SmallDenseTrainer().epochs(2).checkpoints(checkpoints).quiet().fit(few);

        try (Stream<Path> files = Files.list(checkpoints)) {
            // The run's lock file stays, emptied (see RunLock).
            assertEquals(List.of(".lock", "best.zip", "last.zip"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Denoiser last = Denoiser.load(checkpoints.resolve("last.zip"));
        INDArray sample = few.features().get(NDArrayIndex.interval(0, 4));
        assertArrayEquals(result.model().denoise(sample).ravel().toFloatVector(),
                last.denoise(sample).ravel().toFloatVector());
        assertEquals(result.model().modelName(), Denoiser.load(checkpoints.resolve("best.zip")).modelName());
    }

    @Test
    void noiseIsDrawnAsOftenAsResampleSays() {
        // 240 training samples in batches of 80: 3 batches per epoch, 2 epochs; call 1 is the validation copy.
        assertEquals(List.of(1 + 6, 1 + 2, 1 + 1), Stream.of(Resample.EVERY_BATCH, Resample.EVERY_EPOCH, Resample.ONCE)
                .map(resample -> {
                    CountingNoise noise = new CountingNoise();
                    new SmallDenseTrainer().noise(NoiseSettings.custom("counting", () -> noise).withResample(resample))
                            .epochs(2).batchSize(80).quiet().fit(few);
                    long corruptedPerRun = resample == Resample.ONCE ? 240 : 2 * 240;
                    assertEquals(60 + corruptedPerRun, noise.samples(), resample.toString());
                    return noise.calls();
                }).toList());
    }

    @Test
    void noiseDrawnEveryEpochGoesIntoLastEpochsArray() {
        List<INDArray> offered = new ArrayList<>();
        List<INDArray> returned = new ArrayList<>();
        dev.latent.runtime.noise.NoiseModel recording = new dev.latent.runtime.noise.NoiseModel() {
            @Override
            public INDArray corrupt(INDArray clean, DataRange range, Random random) {
                return clean.add(0.1);
            }

            @Override
            public INDArray corrupt(INDArray clean, DataRange range, Random random, INDArray reuse) {
                offered.add(reuse);
                INDArray noisy = reuse == null ? corrupt(clean, range, random) : reuse.assign(clean).addi(0.1);
                returned.add(noisy);
                return noisy;
            }
        };
        new SmallDenseTrainer().noise(NoiseSettings.custom("recording", () -> recording).withResample(Resample.EVERY_EPOCH))
                .epochs(3).batchSize(80).quiet().fit(few);

        assertEquals(3, offered.size(), "one draw an epoch");
        assertEquals(null, offered.get(0));
        assertSame(returned.get(0), offered.get(1));
        assertSame(returned.get(1), offered.get(2));
    }

    @Test
    void freshNoiseEveryBatchTrainsDifferentlyFromStaticNoise() {
        NoiseSettings everyBatch = NoiseSettings.gaussian(0.3);
        TrainingResult fresh = new SmallDenseTrainer().noise(everyBatch).epochs(2).quiet().fit(few);
        TrainingResult once = new SmallDenseTrainer().noise(everyBatch.withResample(Resample.ONCE)).epochs(2).quiet()
                .fit(few);

        assertNotEquals(trainCurve(fresh), trainCurve(once));
        // The validation copy is the same fixed draw for both.
        assertEquals(fresh.baselines(), once.baselines());
    }

    @Test
    void sameSeedGivesTheSameRun() {
        List<Double> first = curves(new SmallDenseTrainer().epochs(2).quiet().fit(few));
        List<Double> second = curves(new SmallDenseTrainer().epochs(2).quiet().fit(few));
        List<Double> otherSeed = curves(new SmallDenseTrainer().epochs(2).seed(43).quiet().fit(few));

        assertEquals(first, second);
        assertNotEquals(first, otherSeed);
    }

    @Test
    void convolutionalNetworkTrainsOnTwoChannelImages() {
        Dataset images = Mnist.twoChannelDigits(750);
        TrainingResult result = DenoisingTrainer.of(new TinyConvNetwork()).quiet().fit(images);

        assertEquals(Verdict.HEALTHY, result.verdict(), result.toString());
        assertTrue(result.finalValidationLoss() < result.baselines().meanLoss());
        assertTrue(result.baselines().perfectLoss() > 0, "binary cross-entropy of grey pixels has a floor");

        // Each channel is reconstructed as itself, not as the other: the layout survives end to end.
        INDArray clean = images.tail(50).features();
        INDArray out = result.model().denoise(clean);
        double same = squaredError(out, clean);
        double swapped = squaredError(out, Nd4j.concat(1, channel(clean, 1), channel(clean, 0)));
        assertTrue(same < 0.5 * swapped, "error " + same + ", with channels swapped " + swapped);
    }

    @Test
    void rejectsDataOfAnotherShapeOrRange() {
        Dataset flat = few.reshape(Shape.of(784));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> new SmallDenseTrainer().quiet().fit(flat));
        assertTrue(shape.getMessage().contains("{784}") && shape.getMessage().contains("{28, 28, 1}")
                && shape.getMessage().contains("reshape(Shape.of(28, 28, 1))"), shape.getMessage());

        Dataset symmetric = Dataset.of(few.features().mul(2).subi(1), Shape.of(28, 28, 1), DataRange.SYMMETRIC, "sym");
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> new SmallDenseTrainer().quiet().fit(few, symmetric));
        assertTrue(range.getMessage().contains("SYMMETRIC") && range.getMessage().contains("UNIT"), range.getMessage());
    }

    @Test
    void consolePrintsOneLinePerEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SmallDenseTrainer().epochs(2).progress(new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                false)).fit(few);
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(out.lines().anyMatch(l -> l.matches(
                "epoch 1/2  train \\S+  val \\S+  [\\d,]+ samples/s  \\d+\\.\\d s  ETA \\d+ s")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("epoch 2/2  train \\S+  val \\S+  [\\d,]+ samples/s  \\d+\\.\\d s")),
                out);
        assertFalse(out.contains("\r"), "no progress bar without a console");
        assertTrue(out.contains("Training dev.latent.runtime.testing.SmallDense on 240 samples, validating on 60"), out);

        ByteArrayOutputStream withBar = new ByteArrayOutputStream();
        new SmallDenseTrainer().epochs(1).progress(new ConsoleProgress(new PrintStream(withBar, true,
                StandardCharsets.UTF_8), true)).fit(few);
        assertTrue(withBar.toString(StandardCharsets.UTF_8).contains("\repoch 1/1 ["), withBar.toString());
    }

    private static List<Double> trainCurve(TrainingResult result) {
        return result.epochs().stream().map(EpochStats::trainLoss).toList();
    }

    private static List<Double> curves(TrainingResult result) {
        List<Double> all = new ArrayList<>(trainCurve(result));
        result.epochs().forEach(e -> all.add(e.validationLoss()));
        return all;
    }

    private static INDArray channel(INDArray images, int c) {
        return images.get(NDArrayIndex.all(), NDArrayIndex.interval(c, c + 1), NDArrayIndex.all(), NDArrayIndex.all());
    }

    private static double squaredError(INDArray a, INDArray b) {
        INDArray diff = a.sub(b);
        return diff.muli(diff).meanNumber().doubleValue();
    }

    /** Records every onBatch call as {epoch, batch, batches}. */
    private record Recorder(List<int[]> batches) implements ProgressListener {
        @Override
        public void onStart(String modelName, TrainingSettings training, int trainSamples, int validationSamples) {}

        @Override
        public void onBatch(int epoch, int batch, int batches, double loss) {
            this.batches.add(new int[] {epoch, batch, batches});
        }

        @Override
        public void onEpoch(EpochStats stats) {}

        @Override
        public void onEnd(TrainingResult result) {}
    }
}
