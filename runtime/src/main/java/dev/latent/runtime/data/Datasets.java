package dev.latent.runtime.data;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.settings.Backend;
import dev.latent.runtime.settings.Shape;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Makes {@link Samples} and {@link Dataset}s from files and arrays: IDX (raw or gzipped), NumPy
 * {@code .npy}, CSV (a row per sample, or a long table cut into windows) and folders of PNG/JPEG
 * images. Readers give the file's own values as {@link Samples}; a {@link Scaling} fitted on the
 * training part maps them into the model's {@link DataRange}. Every problem with a file is a
 * {@link DataFileException} naming the file and what is wrong.
 *
 * <p>Layouts follow Keras: a file's {@code [n, H, W]} holds images {@code {H, W, 1}},
 * {@code [n, H, W, C]} channels-last images {@code {H, W, C}}, {@code [n, N]} vectors {@code {N}};
 * they are converted to the engine's channels-first layout.
 */
public final class Datasets {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    private Datasets() {}

    /**
     * The samples of {@code path}, as samples of the model's {@code inputShape}: a folder is read as
     * images, a {@code .csv} file as a row per sample, a {@code .npy} file as NumPy, anything else
     * as IDX (raw or gzipped, e.g. {@code train-images-idx3-ubyte.gz}).
     *
     * @throws DataFileException if the file is missing or invalid, or its samples hold another
     *     number of values than {@code inputShape}
     */
    public static Samples read(Path path, Shape inputShape) {
        if (Files.isDirectory(path)) {
            return ImageFolderReader.read(path, inputShape);
        }
        String name = fileName(path).toLowerCase(Locale.ROOT);
        Samples samples;
        if (name.endsWith(".csv")) {
            samples = readCsv(path);
        } else if (name.endsWith(".npy")) {
            samples = readNpy(path);
        } else {
            samples = readIdx(path);
        }
        return samples.fitTo(inputShape);
    }

    /**
     * The samples of a raw IDX or {@code .npy} file, left on disk and read a block at a time while
     * training, for data that does not fit in memory; scaled to {@code range} by a {@link Scaling}
     * fitted in one pass over the training samples. Only the header is read now.
     *
     * @throws DataFileException if the file is missing, gzipped ("gunzip it first"), invalid,
     *     truncated, or its samples hold another number of values than {@code inputShape}
     */
    public static StreamedDataset stream(Path path, Shape inputShape, DataRange range) {
        SampleFile file = SampleFile.open(path);
        if (file.sampleShape().size() != inputShape.size()) {
            throw Samples.doesNotFit(file.name(), file.sampleShape(), inputShape);
        }
        return StreamedDataset.of(file, inputShape, range);
    }

    /** The samples of an IDX file, raw or gzipped (recognised by its magic bytes, not its name). */
    public static Samples readIdx(Path file) {
        return fromIdx(IdxReader.read(file), file.toString(), fileName(file));
    }

    /** As {@link #readIdx(Path)}, from a stream (read to its end, not closed), named {@code name} in messages. */
    public static Samples readIdx(InputStream in, String name) {
        return fromIdx(IdxReader.read(in, name), name, name);
    }

    /**
     * The samples of a NumPy {@code .npy} file: little-endian float32, float64, uint8, int8, int16,
     * int32 or int64 in C order; uint8 is taken as pixels 0..255.
     */
    public static Samples readNpy(Path file) {
        NpyReader.Contents npy = NpyReader.read(file);
        String source = file.toString();
        Shape shape = sampleShape(npy.dims(), source);
        return Samples.of(npy.values(), npy.dims()[0], shape, npy.unsignedBytes(), source,
                fileName(file) + " (" + describe(npy.dims()[0], shape) + ")");
    }

    /**
     * A CSV file with a sample per row: every column a value of the sample, {@code {columns}}. The
     * first line is a header when one of its cells is not a number.
     */
    public static Samples readCsv(Path file) {
        CsvReader.Table table = CsvReader.read(file);
        table.requireNumbers();
        Shape shape = Shape.of(table.columns());
        return Samples.of(table.values(), table.rows(), shape, false, table.source(),
                fileName(file) + " (" + describe(table.rows(), shape) + ")");
    }

    /**
     * A long CSV table (a row per time step) cut into windows of {@code length} consecutive rows,
     * one every {@code stride} rows: samples {@code {length, F}} for {@code F} selected columns.
     *
     * @param columns the columns to keep, by header name or 1-based number; none for every column
     * @throws DataFileException if the file is invalid, a column does not exist, or the table is
     *     shorter than one window
     * @throws IllegalArgumentException if {@code length} or {@code stride} is not positive
     */
    public static Samples windows(Path file, int length, int stride, String... columns) {
        if (length < 1 || stride < 1) {
            throw new IllegalArgumentException("window length and stride must be at least 1, found " + length
                    + " and " + stride);
        }
        CsvReader.Table table = CsvReader.read(file);
        int[] selected = new int[columns.length == 0 ? table.columns() : columns.length];
        for (int i = 0; i < selected.length; i++) {
            selected[i] = columns.length == 0 ? i : table.column(columns[i]);
        }
        table.requireNumbers(selected);
        if (table.rows() < length) {
            throw new DataFileException(table.source(), String.format(Locale.ROOT,
                    "%,d rows are fewer than one window of %,d", table.rows(), length));
        }
        int count = (table.rows() - length) / stride + 1;
        int f = selected.length;
        float[] values = new float[Math.multiplyExact(count, length * f)];
        int at = 0;
        for (int w = 0; w < count; w++) {
            for (int t = 0; t < length; t++) {
                int row = w * stride + t;
                for (int column : selected) {
                    values[at++] = table.values()[row * table.columns() + column];
                }
            }
        }
        String description = String.format(Locale.ROOT, "%s (%,d windows of %d rows x %d columns, stride %d)",
                fileName(file), count, length, f, stride);
        return Samples.of(values, count, Shape.of(length, f), false, table.source(), description);
    }

    /**
     * The samples of an IDX file, scaled to {@code range} by a {@link Scaling} fitted on all of them.
     * The description is the file's name and count, e.g.
     * {@code mnist-10k-images-idx3-ubyte.gz (10,000 images 28x28x1)}.
     *
     * @throws DataFileException if the file cannot be read, is not valid IDX, or has another rank
     */
    public static Dataset fromIdx(Path images, DataRange range) {
        return Scaling.fitAndApply(readIdx(images), range);
    }

    /**
     * As {@link #fromIdx(Path, DataRange)}, from a stream (read to its end, not closed).
     *
     * @param name the stream's name, for messages and the description
     */
    public static Dataset fromIdx(InputStream in, String name, DataRange range) {
        return Scaling.fitAndApply(readIdx(in, name), range);
    }

    /**
     * Samples from values in Keras order: sample after sample, each in the order of
     * {@code sampleShape} (an image walks H, then W, then C). The values are taken as given.
     *
     * @param count the number of samples; {@code values} must hold {@code count * sampleShape.size()}
     * @param description where the data came from, for reports and messages
     * @throws IllegalArgumentException if {@code values} does not hold {@code count} samples
     * @throws DataFileException if a value is not finite, or lies outside a bounded {@code range}
     */
    public static Dataset fromFloats(float[] values, int count, Shape sampleShape, DataRange range,
            String description) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(description, "description");
        INDArray features = Samples.of(values, count, sampleShape, false, description, description).features();
        checkRange(features, range, description);
        return Dataset.of(features, sampleShape, range, description);
    }

    private static Samples fromIdx(IdxArray idx, String source, String label) {
        Shape shape = sampleShape(idx.dims(), source);
        int n = idx.dim(0);
        return Samples.of(idx.values(), n, shape, idx.type() == IdxArray.Type.UNSIGNED_BYTE, source,
                label + " (" + describe(n, shape) + ")");
    }

    static Shape sampleShape(int[] dims, String source) {
        return switch (dims.length) {
            case 2 -> Shape.of(dims[1]);
            case 3 -> Shape.of(dims[1], dims[2], 1);
            case 4 -> Shape.of(dims[1], dims[2], dims[3]);
            default -> throw new DataFileException(source, "rank " + dims.length + " (dimensions "
                    + IdxArray.dimsText(dims) + "), expected images [n, H, W] or [n, H, W, C], or vectors [n, N]"
                    + (dims.length == 1 ? "; a rank-1 file usually holds labels" : ""));
        };
    }

    private static void checkRange(INDArray features, DataRange range, String source) {
        if (!range.isBounded()) {
            return;
        }
        float min = features.minNumber().floatValue();
        float max = features.maxNumber().floatValue();
        if (min < range.min() || max > range.max()) {
            String bounds = "[" + (int) range.min() + ", " + (int) range.max() + "]";
            throw new DataFileException(source, "values from " + min + " to " + max + " lie outside DataRange."
                    + range + " " + bounds + "; declare DataRange.UNBOUNDED, or rescale the data into " + bounds);
        }
    }

    static String fileName(Path path) {
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }

    private static String describe(int n, Shape shape) {
        String count = String.format(Locale.ROOT, "%,d", n);
        if (shape.isImage()) {
            return count + (n == 1 ? " image " : " images ") + shape.dim(0) + "x" + shape.dim(1) + "x" + shape.dim(2);
        }
        return count + (n == 1 ? " vector of " : " vectors of ") + shape.dim(0);
    }
}
