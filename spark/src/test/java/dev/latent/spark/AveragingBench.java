package dev.latent.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.Datasets;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.train.TrainingResult;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The per-step cost of keeping replicas in step, behind docs/spark.md's numbers: the seed's dense
 * model (0.8 MB of gradient) one step at a time on one machine, and on Spark local[2] with each
 * averaging. Prints, asserts nothing; runs only when asked:
 * {@code mvn -pl spark -am verify -Dtest=AveragingBench -Dlatent.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class AveragingBench {
    private static final int SAMPLES = 4096;

    @Test
    void perStepOverheadOfEachAveraging() {
        assumeTrue(Boolean.getBoolean("latent.bench"), "a benchmark: run with -Dlatent.bench=true");
        float[][] images = digits(SAMPLES, 5);
        float[] flat = new float[SAMPLES * 784];
        for (int i = 0; i < SAMPLES; i++) {
            System.arraycopy(images[i], 0, flat, i * 784, 784);
        }
        TrainingResult local = new BenchDenseTrainer().epochs(2).validationSplit(0.2).quiet()
                .fit(Datasets.fromFloats(flat, SAMPLES, Shape.of(28, 28, 1), DataRange.UNIT, "bars"));
        EpochStats last = local.epochs().get(1);
        int steps = last.batches();
        System.out.printf(Locale.ROOT, "one machine: %d steps an epoch, %.2f ms a step (epoch 2, train %.5f)%n",
                steps, local.trainSamples() / last.samplesPerSecond() * 1e3 / steps, last.trainLoss());

        SparkSession spark = SparkSession.builder().master("local[2]").appName("AveragingBench")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
        try {
            Dataset<Row> data = TinyData.dataset(spark, images);
            run(spark, data, Averaging.gradients(), true, 0);
            if (!Boolean.getBoolean("latent.bench.quick")) {
                run(spark, data, Averaging.gradients(), false, 6);
                run(spark, data, Averaging.parametersEvery(4), true, 0);
                run(spark, data, Averaging.parametersEvery(16), true, 0);
            }
        } finally {
            spark.stop();
        }
    }

    private static void run(SparkSession spark, Dataset<Row> data, Averaging averaging, boolean prompt, int limit) {
        SparkTraining training = SparkTraining.of(new BenchDenseTrainer().epochs(2).validationSplit(0.2)
                .limitBatches(limit).quiet(), spark).partitions(2).averaging(averaging).promptExchange(prompt);
        TrainingResult result = training.fit(data, "pixels");
        SparkEpochs.Timings timings = training.timings().get(1);
        System.out.printf(Locale.ROOT, "spark local[2], %s%s: %.2f ms a step in the tasks, of which %.2f ms "
                + "exchanging; %.2f ms a step with the stage's start (epoch 2, train %.5f)%n", averaging,
                prompt ? "" : ", Spark's own wait", timings.taskSeconds() * 1e3 / timings.steps(),
                timings.exchangeMillisPerStep(), timings.seconds() * 1e3 / timings.steps(),
                result.epochs().get(1).trainLoss());
    }

    // 28x28 bars of random place and brightness on a faint ground.
    private static float[][] digits(int count, long seed) {
        Random random = new Random(seed);
        float[][] images = new float[count][784];
        for (int n = 0; n < count; n++) {
            boolean across = random.nextBoolean();
            int at = random.nextInt(24);
            float brightness = 0.6f + 0.4f * random.nextFloat();
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int position = across ? y : x;
                    images[n][y * 28 + x] = position >= at && position < at + 4 ? brightness : 0.1f * random.nextFloat();
                }
            }
        }
        return images;
    }
}
