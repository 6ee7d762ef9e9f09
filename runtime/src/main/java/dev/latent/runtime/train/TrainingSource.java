package dev.latent.runtime.train;

import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Scaling;
import dev.latent.runtime.data.StreamedDataset;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training data as the epoch loop reads it: blocks of scaled rows {@code [m, size]}. Data in
 * memory is one block, {@code whole}; streamed data is read a block at a time and has no whole.
 */
record TrainingSource(int size, int blockSize, IntFunction<INDArray> block, INDArray mean, Scaling scaling,
        String description, Dataset whole, EpochBatches elsewhere) {
    static TrainingSource of(Dataset data) {
        INDArray rows = data.features().reshape('c', data.size(), data.sampleShape().size());
        return new TrainingSource(data.size(), data.size(), b -> rows, data.mean(), data.scaling(),
                describe(data.description(), data.scaling()), data, null);
    }

    /** Data whose epochs {@code elsewhere} trains: it has no blocks for the trainer to read. */
    static TrainingSource of(EpochBatches elsewhere) {
        return new TrainingSource(elsewhere.size(), elsewhere.size(), b -> {
            throw new IllegalStateException("the epochs of " + elsewhere.description() + " train elsewhere");
        }, elsewhere.mean(), elsewhere.scaling(), describe(elsewhere.description(), elsewhere.scaling()), null,
                elsewhere);
    }

    static TrainingSource of(StreamedDataset data) {
        long size = data.sampleShape().size();
        return new TrainingSource(data.size(), data.blockSize(), b -> {
            Dataset block = data.block(b);
            return block.features().reshape('c', block.size(), size);
        }, data.mean(),
                data.scaling(), describe(data.description(), data.scaling()), null, null);
    }

    int blocks() {
        return (size + blockSize - 1) / blockSize;
    }

    /** Whether the blocks are read for each epoch, and so the trainer's own to free. */
    boolean streamed() {
        return whole == null && elsewhere == null;
    }

    INDArray rows(int b) {
        return block.apply(b);
    }

    private static String describe(String description, Scaling scaling) {
        return scaling.kind() == Scaling.Kind.IDENTITY ? description : description + ", " + scaling;
    }
}
