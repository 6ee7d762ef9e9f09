package dev.latent.spark;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.Permutations;
import dev.latent.runtime.noise.NoiseModel;
import dev.latent.runtime.settings.Shape;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One shard's batches in one epoch, as a pure function of the run's seed, the epoch and the
 * partition: the shard's samples shuffled, then cut into as many slices as the epoch has global
 * steps, slice {@code k} being this shard's part of global batch {@code k}. Each shard's noise is
 * drawn from a generator of its own, so no executor waits for another's draws.
 */
final class ShardBatches {
    private final INDArray clean;
    private final INDArray noisyEpoch;
    private final NoiseModel noise;
    private final DataRange range;
    private final org.nd4j.linalg.api.rng.Random noiseRandom;
    private final int count;
    private final int steps;

    private ShardBatches(INDArray clean, INDArray noisyEpoch, NoiseModel noise, DataRange range,
            org.nd4j.linalg.api.rng.Random noiseRandom, int count, int steps) {
        this.clean = clean;
        this.noisyEpoch = noisyEpoch;
        this.noise = noise;
        this.range = range;
        this.noiseRandom = noiseRandom;
        this.count = count;
        this.steps = steps;
    }

    /** The global steps of an epoch over {@code samples} samples in batches of {@code batchSize}, as on one machine. */
    static int steps(long samples, int batchSize) {
        return (int) ((samples + batchSize - 1) / batchSize);
    }

    /**
     * The batches of {@code shard} in {@code epoch}; call {@link #close()} after the last one.
     *
     * @param steps the epoch's global steps: every shard cuts its samples into this many slices
     */
    static ShardBatches of(Shard shard, Shape sampleShape, DataRange range, NoiseSpec noise, long seed, int epoch,
            int steps) {
        INDArray rows = Nd4j.createFromArray(shard.rows()).reshape('c', shard.count(), sampleShape.size());
        int[] order = Permutations.of(shard.count(), new Random(mix(seed, epoch, shard.partition(), 1)));
        INDArray clean = Nd4j.pullRows(rows, 1, order).reshape('c', sampleShape.batchShape(shard.count()));
        org.nd4j.linalg.api.rng.Random noiseRandom = Nd4j.getRandomFactory()
                .getNewRandomInstance(mix(seed, epoch, shard.partition(), 2));
        NoiseModel model = noise.settings().toModel();
        INDArray noisyEpoch = switch (noise.resample()) {
            case EVERY_EPOCH -> model.corrupt(clean, range, noiseRandom);
            case EVERY_BATCH -> null;
            case ONCE -> throw new IllegalArgumentException("noise resampled ONCE does not train on Spark");
        };
        return new ShardBatches(clean, noisyEpoch, model, range, noiseRandom, shard.count(), steps);
    }

    /** The clean samples of slice {@code k}: a view. */
    INDArray clean(int k) {
        return clean.get(NDArrayIndex.interval(from(k), from(k + 1)));
    }

    /** The noisy samples of slice {@code k}, drawn now for noise resampled every batch: call once per slice, in order. */
    INDArray noisy(int k) {
        return noisyEpoch != null
                ? noisyEpoch.get(NDArrayIndex.interval(from(k), from(k + 1)))
                : noise.corrupt(clean(k), range, noiseRandom);
    }

    /** The samples of slice {@code k}. */
    int size(int k) {
        return from(k + 1) - from(k);
    }

    void close() {
        try {
            noiseRandom.close();
        } catch (Exception ignored) {
            // Releasing a generator's native state cannot fail in a way a caller could act on.
        }
    }

    private int from(int k) {
        return (int) ((long) k * count / steps);
    }

    // SplitMix64's finaliser over the four numbers: neighbouring epochs and partitions get unrelated streams.
    static long mix(long seed, int epoch, int partition, int stream) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + partition * 0x94D049BB133111EBL + stream;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
