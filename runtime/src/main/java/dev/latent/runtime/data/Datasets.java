package dev.latent.runtime.data;

import dev.latent.runtime.Backend;
import dev.latent.dsl.DataRange;
import dev.latent.runtime.Shape;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Makes {@link Dataset}s from files and arrays: converts Keras' channels-last order to the
 * engine's channels-first layout and scales the values to the declared {@link DataRange}.
 *
 * <p>Unsigned-byte data is taken to be pixels 0..255 and scaled: {@code UNIT} divides by 255,
 * {@code SYMMETRIC} maps {@code p / 127.5 - 1}, {@code UNBOUNDED} standardises each feature to
 * mean 0 and standard deviation 1. Every other type is taken as given, and must already lie in
 * a bounded range.
 */
public final class Datasets {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    /** Features with a smaller standard deviation (e.g. a border pixel always 0) are only centred. */
    static final double STD_FLOOR = 1e-6;

    private Datasets() {}

    /**
     * The samples of an IDX file, raw or gzipped: rank 3 {@code [n, H, W]} gives images
     * {@code {H, W, 1}}, rank 4 {@code [n, H, W, C]} (channels last) images {@code {H, W, C}},
     * rank 2 {@code [n, N]} vectors {@code {N}}. The description is the file's name and count,
     * e.g. {@code mnist-10k-images-idx3-ubyte.gz (10,000 images 28x28x1)}.
     *
     * @throws DataFileException if the file cannot be read, is not valid IDX, has another rank,
     *     or holds values outside a bounded {@code range}
     */
    public static Dataset fromIdx(Path images, DataRange range) {
        Path fileName = images.getFileName();
        return fromIdx(IdxReader.read(images), images.toString(),
                fileName == null ? images.toString() : fileName.toString(), range);
    }

    /**
     * As {@link #fromIdx(Path, DataRange)}, from a stream (read to its end, not closed).
     *
     * @param name the stream's name, for messages and the description
     */
    public static Dataset fromIdx(InputStream in, String name, DataRange range) {
        return fromIdx(IdxReader.read(in, name), name, name, range);
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
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(description, "description");
        if (count <= 0 || values.length != count * sampleShape.size()) {
            throw new IllegalArgumentException(values.length + " values do not hold " + count + " samples of "
                    + sampleShape + " (" + sampleShape.size() + " values each)");
        }
        INDArray features = toEngineLayout(values, count, sampleShape);
        checkValues(features, range, description);
        return Dataset.of(features, sampleShape, range, description);
    }

    private static Dataset fromIdx(IdxArray idx, String source, String label, DataRange range) {
        Objects.requireNonNull(range, "range");
        Shape shape = sampleShape(idx, source);
        int n = idx.dim(0);
        INDArray features = toEngineLayout(idx.values(), n, shape);
        if (idx.type() == IdxArray.Type.UNSIGNED_BYTE) {
            features = scalePixels(features, range);
        } else {
            checkValues(features, range, source);
        }
        return Dataset.of(features, shape, range, label + " (" + describe(n, shape) + ")");
    }

    private static Shape sampleShape(IdxArray idx, String source) {
        return switch (idx.rank()) {
            case 2 -> Shape.of(idx.dim(1));
            case 3 -> Shape.of(idx.dim(1), idx.dim(2), 1);
            case 4 -> Shape.of(idx.dim(1), idx.dim(2), idx.dim(3));
            default -> throw new DataFileException(source, "rank " + idx.rank() + " (dimensions "
                    + idx.dimsText() + "), expected images [n, H, W] or [n, H, W, C], or vectors [n, N]"
                    + (idx.rank() == 1 ? "; a rank-1 file usually holds labels" : ""));
        };
    }

    /** Keras order in, the engine's layout ({@link Shape#batchShape}) out, as a new array. */
    private static INDArray toEngineLayout(float[] values, int n, Shape shape) {
        if (shape.isImage() && shape.dim(2) > 1) {
            INDArray channelsLast = Nd4j.create(values, new long[] {n, shape.dim(0), shape.dim(1), shape.dim(2)}, 'c');
            return channelsLast.permute(0, 3, 1, 2).dup('c');
        }
        // One channel, or a vector: Keras order and the engine's layout hold the same sequence.
        return Nd4j.create(values, shape.batchShape(n), 'c');
    }

    /** Scales pixels 0..255, overwriting {@code features}' values where it can. */
    private static INDArray scalePixels(INDArray features, DataRange range) {
        return switch (range) {
            case UNIT -> features.divi(255.0);
            case SYMMETRIC -> features.divi(127.5).subi(1.0);
            case UNBOUNDED -> standardise(features);
        };
    }

    /** Each feature (pixel and channel) to mean 0 and standard deviation 1 over the samples. */
    private static INDArray standardise(INDArray features) {
        // As [n, F] rows, one row vector holds every feature's statistic, whatever the sample shape.
        INDArray rows = features.reshape('c', features.size(0), features.length() / features.size(0));
        INDArray mean = rows.mean(0);
        INDArray std = Transforms.max(rows.std(false, 0), STD_FLOOR, false);
        return rows.subiRowVector(mean).diviRowVector(std).reshape('c', features.shape());
    }

    private static void checkValues(INDArray features, DataRange range, String source) {
        if (BooleanIndexing.or(features, Conditions.notFinite())) {
            throw new DataFileException(source, "holds NaN or infinite values, expected finite numbers");
        }
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

    private static String describe(int n, Shape shape) {
        String count = String.format(Locale.ROOT, "%,d", n);
        if (shape.isImage()) {
            return count + (n == 1 ? " image " : " images ") + shape.dim(0) + "x" + shape.dim(1) + "x" + shape.dim(2);
        }
        return count + (n == 1 ? " vector of " : " vectors of ") + shape.dim(0);
    }
}
