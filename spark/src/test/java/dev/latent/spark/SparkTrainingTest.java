package dev.latent.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.DataFileException;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Datasets;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Training on Spark in local mode, two executor threads, against the same run on one machine. */
class SparkTrainingTest {
    private static final Shape SHAPE = Shape.of(8, 8, 1);
    private static final float[][] IMAGES = TinyData.images(640, 3);
    private static SparkSession spark;

    @TempDir
    Path folder;

    @BeforeAll
    static void startSpark() {
        // Two task slots; up to 4 failures a task, so that an injected one is retried as on a cluster.
        spark = SparkSession.builder().master("local[2,4]").appName("SparkTrainingTest")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Dataset local() {
        return Datasets.fromFloats(TinyData.flat(IMAGES), IMAGES.length, SHAPE, DataRange.UNIT, "bars");
    }

    @Test
    void averagingGradientsEveryStepTakesTheStepsOfOneMachineOnTheSameGlobalBatches() throws IOException {
        TinyImagesTrainer trainer = new TinyImagesTrainer().epochs(2).quiet();
        SparkTraining training = SparkTraining.of(trainer, spark).partitions(2);
        TrainingResult onSpark = training.fit(TinyData.dataset(spark, IMAGES), "pixels");

        // The same global batches on one engine: batch k is partition 0's slice k, then partition 1's.
        TinyImagesNetwork network = new TinyImagesNetwork();
        Engine engine = Engines.create(network, trainer.training(), trainer.loss());
        List<Shard> shards = shardsOf(trainFeatures(512), 2);
        NoiseSpec noise = NoiseSpec.of(trainer.noise());
        for (int epoch = 1; epoch <= 2; epoch++) {
            engine.setLearningRate(trainer.training().learningRate());
            int steps = ShardBatches.steps(512, 32);
            List<ShardBatches> batches = new ArrayList<>();
            for (Shard shard : shards) {
                batches.add(ShardBatches.of(shard, SHAPE, DataRange.UNIT, noise, 7, epoch, steps));
            }
            for (int k = 0; k < steps; k++) {
                List<INDArray> noisy = new ArrayList<>();
                List<INDArray> clean = new ArrayList<>();
                for (ShardBatches shard : batches) {
                    noisy.add(shard.noisy(k));
                    clean.add(shard.clean(k));
                }
                engine.fitBatch(Nd4j.concat(0, noisy.toArray(INDArray[]::new)),
                        Nd4j.concat(0, clean.toArray(INDArray[]::new)));
            }
            batches.forEach(ShardBatches::close);
        }

        INDArray sparkWeights = parametersOf(onSpark.model());
        INDArray localWeights = engine.parameters();
        double largest = localWeights.amaxNumber().doubleValue();
        double difference = sparkWeights.sub(localWeights).amaxNumber().doubleValue();
        System.out.printf(Locale.ROOT, "largest weight %.4f, largest difference %.3g%n", largest, difference);
        // Float rounding only: a weighted mean of two half-batch gradients against one gradient of the whole.
        assertTrue(difference < 1e-4, "weights differ by up to " + difference + " (largest weight " + largest + ")");
    }

    @Test
    void theLossCurveWithTwoExecutorsIsTheOneMachineCurveWithinFivePercentAndSoIsTheVerdict() throws IOException {
        TrainingResult onOneMachine = new TinyImagesTrainer().quiet().fit(local());
        SparkTraining training = SparkTraining.of(new TinyImagesTrainer().quiet(), spark).partitions(2);
        TrainingResult onSpark = training.fit(TinyData.dataset(spark, IMAGES), "pixels");
        training.timings().forEach(System.out::println);

        assertEquals(onOneMachine.epochs().size(), onSpark.epochs().size());
        for (int i = 0; i < onSpark.epochs().size(); i++) {
            EpochStats local = onOneMachine.epochs().get(i);
            EpochStats distributed = onSpark.epochs().get(i);
            System.out.printf(Locale.ROOT, "epoch %d: train %.5f / %.5f, validation %.5f / %.5f%n", local.epoch(),
                    local.trainLoss(), distributed.trainLoss(), local.validationLoss(), distributed.validationLoss());
            assertEquals(local.trainLoss(), distributed.trainLoss(), 0.05 * local.trainLoss(), "train loss " + local);
            assertEquals(local.validationLoss(), distributed.validationLoss(), 0.05 * local.validationLoss(),
                    "validation loss " + local);
        }
        // The mean image is summed in doubles on Spark, in floats on one machine.
        assertEquals(onOneMachine.baselines().identityLoss(), onSpark.baselines().identityLoss(), 1e-9);
        assertEquals(onOneMachine.baselines().meanLoss(), onSpark.baselines().meanLoss(), 1e-6);
        assertEquals(onOneMachine.verdict(), onSpark.verdict());

        // The saved model loads without the generated classes and denoises as the trained one.
        Path saved = folder.resolve("model.zip");
        onSpark.model().save(saved);
        Denoiser loaded = Denoiser.load(saved);
        INDArray noisy = local().features().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 16));
        assertEquals(onSpark.model().denoise(noisy), loaded.denoise(noisy));
        assertEquals(onOneMachine.model().scaling().kind(), loaded.scaling().kind());
    }

    @Test
    void aBadFileFailsWithTheOneLineOfOneMachineNamingTheFile() throws IOException {
        Path data = Files.createDirectories(folder.resolve("data"));
        writeCsv(data.resolve("a.csv"), List.of(IMAGES).subList(0, 320));
        writeCsv(data.resolve("b.csv"), List.of(IMAGES).subList(320, 640));
        TrainingResult trained = SparkTraining.of(new TinyImagesTrainer().epochs(1).quiet(), spark).partitions(2)
                .fitFiles(data.toUri().toString());
        assertEquals(1, trained.epochs().size());
        assertEquals(512, trained.trainSamples());

        Path bad = data.resolve("c.csv");
        Files.writeString(bad, "0.5,0.25\n0.5,oops\n");
        String oneMachine = assertThrows(DataFileException.class, () -> Datasets.read(bad, SHAPE)).problem();
        DataFileException onSpark = assertThrows(DataFileException.class,
                () -> SparkTraining.of(new TinyImagesTrainer().epochs(1).quiet(), spark).fitFiles(data.toUri().toString()));
        System.out.println(onSpark.getMessage());
        assertTrue(onSpark.file().endsWith("c.csv"), onSpark.file());
        assertEquals(oneMachine, onSpark.problem());
        assertEquals(1, onSpark.getMessage().lines().count());
    }

    @Test
    void aTaskThatFailsMidEpochIsRetriedAndTheRunCompletes() {
        TaskFaults.arm(1, 2, 1);
        try {
            TrainingResult result = SparkTraining.of(new TinyImagesTrainer().epochs(2).quiet(), spark).partitions(2)
                    .fit(TinyData.dataset(spark, IMAGES), "pixels");
            assertEquals(0, TaskFaults.pending(), "the fault was injected");
            assertEquals(2, result.epochs().size());
            assertTrue(Double.isFinite(result.finalValidationLoss()));
        } finally {
            TaskFaults.arm(-1, -1, 0);
        }
    }

    private static INDArray parametersOf(Denoiser model) throws IOException {
        Path file = Files.createTempFile("latent-test", ".zip");
        Files.delete(file);
        try {
            model.save(file);
            return Engine.load(file, SHAPE).parameters();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // The first n samples in the engine's layout, flattened, as the shards hold them.
    private static float[] trainFeatures(int n) {
        return local().features().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup('c').data().asFloat();
    }

    private static List<Shard> shardsOf(float[] rows, int partitions) {
        int size = (int) SHAPE.size();
        int n = rows.length / size;
        List<Shard> shards = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            List<Integer> indices = new ArrayList<>();
            for (int i = p; i < n; i += partitions) {
                indices.add(i);
            }
            float[] values = new float[indices.size() * size];
            for (int j = 0; j < indices.size(); j++) {
                System.arraycopy(rows, indices.get(j) * size, values, j * size, size);
            }
            shards.add(new Shard(p, indices.size(), values));
        }
        return shards;
    }

    private static void writeCsv(Path file, List<float[]> images) throws IOException {
        Files.write(file, images.stream().map(image -> {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < image.length; i++) {
                line.append(i == 0 ? "" : ",").append(image[i]);
            }
            return line.toString();
        }).collect(Collectors.toList()));
    }
}
