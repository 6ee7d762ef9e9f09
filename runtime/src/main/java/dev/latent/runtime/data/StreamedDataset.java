package dev.latent.runtime.data;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.settings.Backend;
import dev.latent.runtime.settings.Shape;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Samples of a raw IDX or {@code .npy} file that stay on disk: the trainer reads them a block at a
 * time, so a file larger than memory trains in the memory of a few blocks. Made by
 * {@link Datasets#stream}; trained by {@code trainer.fit(stream)} as a {@link Dataset} is.
 *
 * <pre>{@code
 * StreamedDataset big = Datasets.stream(Path.of("big.npy"), Shape.of(28, 28, 1), DataRange.UNIT);
 * TrainingResult result = trainer.fit(big);          // validationSplit's tail is loaded to validate
 * }</pre>
 *
 * <p>The {@link Scaling} is fitted on this data's samples in one pass over the file, the first
 * time it is needed, together with the mean sample (the mean of the scaled values is the scaled
 * mean, since every scaling is affine). The validation part of {@link #splitLast} takes the
 * training part's scaling, as a held-out set must.
 *
 * <p>Immutable; the file must not change while it is read.
 */
public final class StreamedDataset {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    /** Bytes of floats a block holds by default, at most; its copies in native memory are a few times more. */
    static final long MAX_BLOCK_BYTES = 64L << 20;

    private final SampleFile file;
    private final Shape inputShape;
    private final DataRange range;
    private final int from;
    private final int to;
    private final int blockSize;
    // The data whose statistics the scaling comes from: this one, or the training part it was split from.
    private final StreamedDataset fittedOn;
    private Fit fit;

    private record Fit(Scaling scaling, INDArray mean) {}

    private StreamedDataset(SampleFile file, Shape inputShape, DataRange range, int from, int to, int blockSize,
            StreamedDataset fittedOn) {
        this.file = file;
        this.inputShape = inputShape;
        this.range = range;
        this.from = from;
        this.to = to;
        this.blockSize = blockSize;
        this.fittedOn = fittedOn;
    }

    static StreamedDataset of(SampleFile file, Shape inputShape, DataRange range) {
        return new StreamedDataset(file, inputShape, Objects.requireNonNull(range, "range"), 0, file.count(),
                defaultBlockSize(inputShape, Runtime.getRuntime().maxMemory()), null);
    }

    /**
     * Samples per block when none is set: a sixteenth of the maximum heap in floats (the block is
     * decoded on the heap before it moves to native memory), at most {@value #MAX_BLOCK_BYTES} bytes.
     */
    static int defaultBlockSize(Shape inputShape, long maxHeap) {
        long bytes = Math.min(MAX_BLOCK_BYTES, Math.max(1 << 20, maxHeap / 16));
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / (4 * inputShape.size())));
    }

    /** Number of samples. */
    public int size() {
        return to - from;
    }

    /** Shape of one sample: the model's input shape it was opened for. */
    public Shape sampleShape() {
        return inputShape;
    }

    /** The range the scaled values lie in. */
    public DataRange range() {
        return range;
    }

    /** Samples read from the file at a time. */
    public int blockSize() {
        return blockSize;
    }

    /**
     * The same data read {@code samples} at a time. Training shuffles the order of the blocks and
     * the samples within each block, so larger blocks shuffle better and take more memory.
     */
    public StreamedDataset blockSize(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("blockSize must be at least 1, found " + samples);
        }
        return new StreamedDataset(file, inputShape, range, from, to, samples, fittedOn);
    }

    /** Number of blocks: the last one may be short. */
    public int blocks() {
        return (size() + blockSize - 1) / blockSize;
    }

    /** Where the data comes from, for reports. */
    public String description() {
        String whole = String.format(Locale.ROOT, "%s (%,d samples of %s, streamed in blocks of %,d)",
                Datasets.fileName(java.nio.file.Path.of(file.name())), size(), inputShape, blockSize);
        return from == 0 && to == file.count() ? whole
                : whole + String.format(Locale.ROOT, " [%,d, %,d)", from, to);
    }

    /** How the file's values are mapped into {@link #range()}: fitted on the first call, reading the file once. */
    public synchronized Scaling scaling() {
        return fitted().scaling();
    }

    /** The mean scaled sample, shape {@code sampleShape().batchShape(1)}; fitted with the scaling. */
    public synchronized INDArray mean() {
        return fitted().mean();
    }

    private Fit fitted() {
        if (fittedOn != null) {
            return fittedOn.fitted();
        }
        if (fit == null) {
            Scaling.Fitter fitter = new Scaling.Fitter(range);
            INDArray sum = null;
            for (int b = 0; b < blocks(); b++) {
                Samples block = raw(b);
                fitter.add(block);
                INDArray values = block.features().castTo(DataType.DOUBLE);
                INDArray blockSum = values.sum(true, 0);
                sum = sum == null ? blockSum : sum.addi(blockSum);
                release(values);
                release(block.features());
            }
            Scaling scaling = fitter.result();
            INDArray rawMean = sum.divi(size()).castTo(DataType.FLOAT);
            fit = new Fit(scaling, scaling.apply(rawMean));
        }
        return fit;
    }

    private Samples raw(int block) {
        int start = from + block * blockSize;
        return file.read(start, Math.min(to, start + blockSize)).fitTo(inputShape);
    }

    /**
     * Block {@code b} (0-based, in file order), read from the file and scaled.
     *
     * @throws DataFileException if the file cannot be read or holds a value that is not finite
     */
    public Dataset block(int b) {
        if (b < 0 || b >= blocks()) {
            throw new IllegalArgumentException("no block " + b + " of " + blocks());
        }
        Samples raw = raw(b);
        Dataset scaled = scaling().apply(raw);
        release(raw.features());
        return scaled;
    }

    /**
     * Frees an array's native memory now, rather than when the collector finds its small Java
     * object: a small heap collects too seldom to keep up with blocks of native memory.
     */
    static void release(INDArray array) {
        if (array.data().closeable()) {
            array.data().close();
        }
    }

    /** All samples, read and scaled into memory: for a part known to be small, such as a validation set. */
    public Dataset load() {
        return scaling().apply(file.read(from, to).fitTo(inputShape));
    }

    /**
     * Splits off the last {@code fraction} of the samples, as {@link Dataset#splitLast} does; the
     * scaling of both parts is fitted on the first part alone.
     */
    public Split splitLast(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1), found " + fraction);
        }
        int held = (int) Math.round(size() * fraction);
        if (held < 1 || held >= size()) {
            throw new DataFileException(file.name(), String.format(Locale.ROOT,
                    "%,d samples cannot be split %s for validation: one side would be empty", size(), fraction));
        }
        StreamedDataset train = new StreamedDataset(file, inputShape, range, from, to - held, blockSize, null);
        return new Split(train, new StreamedDataset(file, inputShape, range, to - held, to, blockSize, train));
    }

    @Override
    public String toString() {
        return description() + ", range " + range;
    }

    /** Streamed data cut in two: the first part trains, the second validates. */
    public record Split(StreamedDataset train, StreamedDataset validation) {}
}
