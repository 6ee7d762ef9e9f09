package dev.latent.runtime.train;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.Datasets;
import dev.latent.runtime.data.StreamedDataset;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.settings.TrainingSettings;
import dev.latent.runtime.testing.Mnist;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * What {@link StreamedTrainingTest} runs in a JVM with a small heap: {@code
 * stream FILE} trains on the file streamed, validating on digits it does not hold, and prints
 * each epoch's losses and the memory it took (heap pools' peaks summed, and the resident set
 * after the first step and at its largest, which holds ND4J's native arrays); {@code load FILE} reads the file whole, which
 * must fail for the test to mean anything.
 */
public final class StreamedTrainingChild {
    private StreamedTrainingChild() {}

    public static void main(String[] args) {
        Path file = Path.of(args[1]);
        Shape digit = Shape.of(28, 28, 1);
        if (args[0].equals("load")) {
            System.out.println("loaded " + Datasets.read(file, digit).size());
            return;
        }
        StreamedDataset train = Datasets.stream(file, digit, DataRange.UNIT);
        // The resident set after the first step, once the code of every op training runs is paged in and
        // one block is held; what it grows by later is what the rest of the file costs in memory.
        long[] resident = new long[2];
        long start = System.nanoTime();
        TrainingResult result = StreamedTrainingTest.trainer().progress(new ProgressListener() {
            @Override
            public void onStart(String modelName, TrainingSettings training, int trainSamples, int validationSamples) {}

            @Override
            public void onBatch(int epoch, int batch, int batches, double meanLoss) {
                long now = Pointer.physicalBytes();
                if (resident[0] == 0) {
                    resident[0] = now;
                }
                resident[1] = Math.max(resident[1], now);
            }

            @Override
            public void onEpoch(EpochStats stats) {
                System.out.printf(Locale.ROOT, "epoch %d %.6f %.6f%n", stats.epoch(), stats.trainLoss(),
                        stats.validationLoss());
            }

            @Override
            public void onEnd(TrainingResult result) {}
        }).fit(train, Mnist.digits(1000).slice(StreamedTrainingTest.TRAIN_DIGITS, 1000));
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "memory heap-max %d heap-peak %d resident-before %d resident-peak %d "
                        + "blocks %d of %d seconds %.1f mean-baseline %.6f final %.6f%n",
                Runtime.getRuntime().maxMemory(), heapPeak, resident[0], resident[1], train.blocks(),
                train.blockSize(), (System.nanoTime() - start) / 1e9, result.baselines().meanLoss(),
                result.finalValidationLoss());
    }
}
