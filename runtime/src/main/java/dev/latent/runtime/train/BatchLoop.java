package dev.latent.runtime.train;

import dev.latent.dsl.Resample;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Permutations;
import dev.latent.runtime.data.Rows;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.NonFinite;
import dev.latent.runtime.noise.NoiseModel;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One epoch's batches on this machine: the training data's blocks in a shuffled order, samples
 * shuffled within each, each batch corrupted (once, every epoch or every batch, the last on a
 * worker thread where a core is spare) and fitted by the engine. Streamed blocks are freed as
 * soon as the engine is done with them.
 */
final class BatchLoop {
    /**
     * What one epoch did.
     *
     * @param lossSum each batch's loss times its samples, summed (the last batch may be short, and
     *     Keras averages over samples)
     * @param samples the samples fitted
     * @param batches the batches fitted
     * @param nonFinite whether a noisy input or a loss was NaN or infinite, which ends the run
     * @param beforeFirstStep each layer's parameters before the epoch's first step, for update ratios
     * @param afterFirstStep the same after it
     * @param beforeLastStep the same before the epoch's last step
     */
    record Result(double lossSum, long samples, int batches, boolean nonFinite, Map<String, INDArray> beforeFirstStep,
            Map<String, INDArray> afterFirstStep, Map<String, INDArray> beforeLastStep) {}

    private final AutoencoderNetwork network;
    private final TrainingSource train;
    private final NoiseSettings noiseSettings;
    private final NoiseModel noiseModel;
    private final Random noiseRandom;
    private final NoiseAhead noiseAhead;
    private final NonFiniteGuard guard;
    private final ProgressListener listener;
    private final IntConsumer stopCheck;
    private final int batchSize;
    private final int batchesPerEpoch;
    private INDArray staticNoisyRows;
    // Data in memory is shuffled and corrupted into the same arrays every epoch (see reusable): a
    // new 25 MB array an epoch took the dense seed model's training a fifth of its time, in page faults.
    private INDArray shuffledClean;
    private INDArray shuffledNoisy;
    private INDArray epochNoisy;
    private BlockBatches cleanBatches;
    // The parameter copies the last epoch took, copied into again: the health probe has read them
    // by the time the next epoch runs.
    private Map<String, INDArray> lastBeforeFirstStep = Map.of();
    private Map<String, INDArray> lastAfterFirstStep = Map.of();
    private Map<String, INDArray> lastBeforeLastStep = Map.of();
    // A streamed block's arrays, and the previous block's, freed once the engine fits a batch of the next.
    private final List<INDArray> current = new ArrayList<>();
    private final List<INDArray> retired = new ArrayList<>();
    private long streamedBytes;

    /**
     * @param stopCheck called with the epoch before each batch; throws to end the run when a stop
     *     was requested
     */
    BatchLoop(AutoencoderNetwork network, TrainingSource train, int batchSize, NoiseSettings noiseSettings,
            NoiseModel noiseModel, Random noiseRandom, NoiseAhead noiseAhead, NonFiniteGuard guard,
            ProgressListener listener, IntConsumer stopCheck) {
        this.network = network;
        this.train = train;
        this.batchSize = batchSize;
        this.noiseSettings = noiseSettings;
        this.noiseModel = noiseModel;
        this.noiseRandom = noiseRandom;
        this.noiseAhead = noiseAhead;
        this.guard = guard;
        this.listener = listener;
        this.stopCheck = stopCheck;
        int blocks = train.blocks();
        int lastBlock = train.size() - (blocks - 1) * train.blockSize();
        this.batchesPerEpoch = (blocks - 1) * batchesOf(train.blockSize(), batchSize) + batchesOf(lastBlock, batchSize);
    }

    /**
     * Draws the one noisy copy of the training set that noise resampled {@code ONCE} uses: the
     * first draw of a run, before a resume restores the generator.
     */
    void drawStaticNoise() {
        if (noiseSettings.resample() == Resample.ONCE) {
            staticNoisyRows = noiseModel.corrupt(train.whole().features(), network.range(), noiseRandom)
                    .reshape('c', train.size(), network.inputShape().size());
        }
    }

    /** Batches in a whole epoch. */
    int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Fits {@code engine} on at most {@code epochBatches} batches of epoch {@code epoch}, in {@code shuffler}'s order. */
    Result run(Engine engine, int epoch, int epochBatches, ShufflingRandom shuffler) {
        Shape shape = network.inputShape();
        double lossSum = 0;
        long seen = 0;
        boolean nonFinite = false;
        Map<String, INDArray> beforeLastStep = null;
        Map<String, INDArray> beforeFirstStep = null;
        Map<String, INDArray> afterFirstStep = null;
        int b = 0;
        // One block (data in memory) draws nothing for the block order, so its runs are those of whole epochs.
        for (int block : Permutations.of(train.blocks(), shuffler)) {
            if (b >= epochBatches || nonFinite) {
                break;
            }
            // Rows of a [m, size] matrix, so one native pullRows shuffles a whole block.
            INDArray cleanRows = train.rows(block);
            int m = (int) cleanRows.rows();
            long[] blockShape = shape.batchShape(m);
            int[] order = Permutations.of(m, shuffler);
            shuffledClean = shuffle(cleanRows, order, reusable(shuffledClean));
            cleanBatches = BlockBatches.of(shuffledClean, blockShape, batchSize, cleanBatches);
            INDArray cleanBlock = cleanBatches.block();
            if (train.streamed()) {
                release(cleanRows);
                collectNowAndThen(cleanRows);
            }
            INDArray noisyBlock = switch (noiseSettings.resample()) {
                case ONCE -> shuffledStaticNoise(order).reshape('c', blockShape);
                case EVERY_EPOCH -> epochNoise(cleanBlock);
                case EVERY_BATCH -> null;
            };
            boolean noisyBlockFinite = noisyBlock != null && !NonFinite.in(noisyBlock);
            int blockBatches = Math.min(batchesOf(m, batchSize), epochBatches - b);
            if (noisyBlock == null) {
                noiseAhead.start(cleanBatches.views().subList(0, blockBatches));
            }
            retired.addAll(current);
            current.clear();
            if (train.streamed()) {
                current.add(cleanBlock);
                if (noisyBlock != null) {
                    current.add(noisyBlock);
                }
            }
            for (int k = 0; k < blockBatches; k++, b++) {
                stopCheck.accept(epoch);
                INDArray clean = cleanBatches.views().get(k);
                INDArray noisy = noisyBlock != null ? batch(noisyBlock, k, batchSize, m) : noiseAhead.next();
                boolean finiteInput = noisyBlock != null
                        ? noisyBlockFinite || !NonFinite.in(noisy)
                        : noiseAhead.lastFinite();
                if (b == 0) {
                    beforeFirstStep = engine.layerParameters(lastBeforeFirstStep);
                }
                if (b == epochBatches - 1) {
                    // An epoch of one batch took one copy for both: never copy over the first one.
                    beforeLastStep = b == 0 ? beforeFirstStep : engine.layerParameters(
                            lastBeforeLastStep == lastBeforeFirstStep ? Map.of() : lastBeforeLastStep);
                }
                if (guard.inputStops(finiteInput, epoch, b + 1)) {
                    nonFinite = true;
                    break;
                }
                double batchLoss = engine.fitBatch(noisy, clean);
                // The engine may hold the last batch it fitted until it fits the next one.
                releaseAll(retired);
                if (b == 0) {
                    afterFirstStep = engine.layerParameters(lastAfterFirstStep);
                }
                if (guard.lossStops(batchLoss, epoch, b + 1)) {
                    nonFinite = true;
                    break;
                }
                long size = clean.size(0);
                lossSum += batchLoss * size;
                seen += size;
                listener.onBatch(epoch, b + 1, epochBatches, lossSum / seen);
            }
        }
        lastBeforeFirstStep = beforeFirstStep != null ? beforeFirstStep : Map.of();
        lastAfterFirstStep = afterFirstStep != null ? afterFirstStep : Map.of();
        lastBeforeLastStep = beforeLastStep != null ? beforeLastStep : Map.of();
        return new Result(lossSum, seen, b, nonFinite, beforeFirstStep, afterFirstStep, beforeLastStep);
    }

    /**
     * ND4J frees an array's native memory when the collector finds its small Java object, and
     * JavaCPP does not count ND4J's arrays (it would collect when they filled maxbytes): without
     * collections the native garbage of every step (noise, activations, gradients) piles up in
     * proportion to the data trained. One each time blocks of half the heap's size have passed
     * bounds it near the heap's size.
     */
    private void collectNowAndThen(INDArray block) {
        streamedBytes += block.length() * Float.BYTES;
        if (streamedBytes >= Runtime.getRuntime().maxMemory() / 2) {
            System.gc();
            streamedBytes = 0;
        }
    }

    /**
     * {@code last} where it may be written over, else null: a streamed block's arrays are released
     * once fitted, while data in memory uses the same arrays epoch after epoch, whose batches are
     * all fitted and their noise drawn by the time the next epoch writes over them.
     */
    private INDArray reusable(INDArray last) {
        return train.streamed() ? null : last;
    }

    private INDArray shuffledStaticNoise(int[] order) {
        shuffledNoisy = shuffle(staticNoisyRows, order, reusable(shuffledNoisy));
        return shuffledNoisy;
    }

    private INDArray epochNoise(INDArray cleanBlock) {
        epochNoisy = noiseModel.corrupt(cleanBlock, network.range(), noiseRandom, reusable(epochNoisy));
        return epochNoisy;
    }

    /**
     * A shuffled block shaped as a batch of its samples, and views of its batches: kept while the
     * block is the same array, as data in memory is every epoch (ND4J took 20 to 40 us a view,
     * twice a step).
     */
    private record BlockBatches(INDArray source, INDArray block, List<INDArray> views) {
        static BlockBatches of(INDArray shuffled, long[] blockShape, int batchSize, BlockBatches last) {
            if (last != null && last.source() == shuffled && Arrays.equals(last.block().shape(), blockShape)) {
                return last;
            }
            INDArray block = shuffled.reshape('c', blockShape);
            int m = (int) blockShape[0];
            List<INDArray> views = new ArrayList<>();
            for (int k = 0; k < batchesOf(m, batchSize); k++) {
                views.add(batch(block, k, batchSize, m));
            }
            return new BlockBatches(shuffled, block, List.copyOf(views));
        }
    }

    /** Rows {@code order} of {@code rows}, into {@code reuse} when it has their shape and type, else into a new array. */
    private static INDArray shuffle(INDArray rows, int[] order, INDArray reuse) {
        boolean fits = reuse != null && reuse.dataType() == rows.dataType() && reuse.rows() == order.length
                && reuse.columns() == rows.columns();
        if (!fits) {
            return Nd4j.pullRows(rows, 1, order);
        }
        if (!Rows.copyable(rows) || !Rows.copyable(reuse)) {
            return Nd4j.pullRows(rows, reuse, 1, order);
        }
        // ND4J's pullRows into a given array still allocates one the size of the block.
        Rows.gather(rows, order, reuse);
        return reuse;
    }

    private static int batchesOf(int samples, int batchSize) {
        return (samples + batchSize - 1) / batchSize;
    }

    /** Batch {@code b} of an epoch's samples: a view, no copy. */
    private static INDArray batch(INDArray epoch, int b, int batchSize, int n) {
        long from = (long) b * batchSize;
        return epoch.get(NDArrayIndex.interval(from, Math.min(n, from + batchSize)));
    }

    private static void releaseAll(List<INDArray> arrays) {
        arrays.forEach(BatchLoop::release);
        arrays.clear();
    }

    // Now rather than when the collector finds the small Java object: blocks come faster than collections.
    private static void release(INDArray array) {
        if (array.data().closeable()) {
            array.data().close();
        }
    }
}
