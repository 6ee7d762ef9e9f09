package dev.latent.examples.bench;

import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Permutations;
import dev.latent.runtime.engine.GraphEngine;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The training loops a careful user writes by hand, around DL4J, Latent's engine or SameDiff: the bench's peers. */
final class HandWrittenLoops {
    private HandWrittenLoops() {}

    /** The training loop a careful DL4J user writes: shuffle, fresh clipped noise per batch, fit. */
    static double handWrittenThroughput(ComputationGraph graph, Dataset train, double sigma, int batchSize,
            int epochs, long seed) {
        return handWrittenLoop(train, sigma, batchSize, epochs, seed, graph::fit, () -> { });
    }

    /**
     * The same loop over the hand-written graph's configuration trained by Latent's engine, as
     * the generated trainer's is: what the generated code costs, engine aside.
     */
    static double handWrittenEngineThroughput(ComputationGraph handWritten, Dataset train, double sigma,
            int batchSize, int epochs, long seed) {
        ComputationGraphConfiguration conf = handWritten.getConfiguration();
        GraphEngine engine = GraphEngine.create(conf, conf, conf);
        return handWrittenLoop(train, sigma, batchSize, epochs, seed,
                batch -> engine.fitBatch(batch.getFeatures(), batch.getLabels().reshape(batch.getFeatures().shape())),
                () -> { });
    }

    /** The same loop over a hand-written SameDiff graph. */
    static double handWrittenSameDiffThroughput(SameDiff graph, Dataset train, double sigma, int batchSize,
            int epochs, long seed) {
        // SameDiff leaves each step's arrays to the collector; without this a long run runs out of memory.
        return handWrittenLoop(train, sigma, batchSize, epochs, seed, graph::fit, System::gc);
    }

    /**
     * The training loop a careful DL4J user writes: shuffle, fresh clipped noise per batch, one
     * step per batch (images as they are, labels flattened); samples/s per epoch, median.
     */
    static double handWrittenLoop(Dataset train, double sigma, int batchSize, int epochs, long seed,
            Consumer<DataSet> step, Runnable afterEpoch) {
        int n = train.size();
        long size = train.sampleShape().size();
        long[] shape = train.sampleShape().batchShape(n);
        INDArray rows = train.features().reshape('c', n, size);
        java.util.Random shuffler = new java.util.Random(seed);
        double[] rates = new double[epochs];
        Random random = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                long start = System.nanoTime();
                INDArray epochData = Nd4j.pullRows(rows, 1, Permutations.of(n, shuffler)).reshape('c', shape);
                for (int from = 0; from < n; from += batchSize) {
                    int to = Math.min(n, from + batchSize);
                    INDArray clean = epochData.get(NDArrayIndex.interval(from, to));
                    INDArray noise = Nd4j.createUninitialized(DataType.FLOAT, clean.shape());
                    Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(noise, 0, sigma), random);
                    INDArray noisy = Transforms.min(Transforms.max(noise.addi(clean), 0.0, false), 1.0, false);
                    step.accept(new DataSet(noisy, clean.reshape('c', to - from, size)));
                }
                // Inside the timing: the collection is part of what this loop costs (without it, a
                // SameDiff run runs out of memory), as the generated trainer's engine pays for its own.
                afterEpoch.run();
                rates[epoch] = n / ((System.nanoTime() - start) / 1e9);
            }
        } finally {
            BenchStats.close(random);
        }
        return BenchStats.median(rates);
    }
}
