package dev.latent.runtime.data;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.settings.Backend;
import dev.latent.runtime.settings.Shape;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Samples held in memory, already scaled to a {@link DataRange}, in the engine's layout:
 * {@code [n, C, H, W]} for images, {@code [n, N]} for vectors (see {@link Shape#batchShape}).
 * Immutable: every method returns a new data set (sharing memory where it can).
 */
public final class Dataset {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    private final INDArray features;
    private final Shape sampleShape;
    private final DataRange range;
    private final String description;
    private final Scaling scaling;

    private Dataset(INDArray features, Shape sampleShape, DataRange range, String description, Scaling scaling) {
        this.features = features;
        this.sampleShape = sampleShape;
        this.range = range;
        this.description = description;
        this.scaling = scaling;
    }

    /**
     * A data set over {@code features}, whose shape must be {@code sampleShape.batchShape(n)} and
     * whose values must already lie in {@code range}.
     *
     * @throws IllegalArgumentException if the array's shape does not fit the sample shape
     */
    public static Dataset of(INDArray features, Shape sampleShape, DataRange range, String description) {
        return of(features, sampleShape, range, description, Scaling.identity(sampleShape, range));
    }

    /**
     * As {@link #of(INDArray, Shape, DataRange, String)}, for values that {@code scaling} made from
     * the file's own values; a model trained on this data keeps the scaling, to apply it to new data.
     *
     * @throws IllegalArgumentException if the array's shape, or the scaling's shape or range, do not fit
     */
    public static Dataset of(INDArray features, Shape sampleShape, DataRange range, String description,
            Scaling scaling) {
        Objects.requireNonNull(features, "features");
        if (!scaling.sampleShape().equals(sampleShape) || scaling.range() != range) {
            throw new IllegalArgumentException("a scaling " + scaling + " does not fit samples of " + sampleShape
                    + " in range " + range);
        }
        long[] expected = sampleShape.batchShape(features.size(0));
        if (!Arrays.equals(expected, features.shape())) {
            throw new IllegalArgumentException("features of shape " + Arrays.toString(features.shape())
                    + " do not hold samples of shape " + sampleShape + "; expected " + Arrays.toString(expected));
        }
        INDArray floats = features.dataType() == DataType.FLOAT ? features : features.castTo(DataType.FLOAT);
        return new Dataset(floats, sampleShape, Objects.requireNonNull(range, "range"), description, scaling);
    }

    /** Number of samples. */
    public int size() {
        return (int) features.size(0);
    }

    /** Shape of one sample, in Keras order. */
    public Shape sampleShape() {
        return sampleShape;
    }

    /** The range the values lie in. */
    public DataRange range() {
        return range;
    }

    /** How the file's values were mapped into {@link #range()}; identity for data given in range. */
    public Scaling scaling() {
        return scaling;
    }

    /** Where the data came from and how it was cut, for reports. */
    public String description() {
        return description;
    }

    /** All samples, in the engine's layout. Do not modify. */
    public INDArray features() {
        return features;
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset slice(int from, int to) {
        INDArray part = SampleCuts.slice(features, from, to);
        return new Dataset(part, sampleShape, range, description + " [" + from + ", " + to + ")", scaling);
    }

    /** The first {@code n} samples. */
    public Dataset head(int n) {
        return slice(0, n);
    }

    /** The last {@code n} samples. */
    public Dataset tail(int n) {
        return slice(size() - n, size());
    }

    /**
     * Splits off the last {@code fraction} of the samples, as Keras' {@code validation_split}
     * does: the first part trains, the second validates.
     */
    public Split splitLast(double fraction) {
        int held = SampleCuts.heldOut(fraction, size());
        if (held < 1 || held >= size()) {
            throw new IllegalArgumentException("cannot hold out " + fraction + " of " + size() + " samples");
        }
        return new Split(head(size() - held), tail(held));
    }

    /** The mean sample, shape {@code sampleShape.batchShape(1)}. */
    public INDArray mean() {
        return features.mean(true, 0);
    }

    /**
     * The same values as samples of {@code shape}, which must hold as many elements. Image and
     * vector orders follow Keras: flattening an {@code {H, W, C}} image walks H, then W, then C.
     */
    public Dataset reshape(Shape shape) {
        if (shape.equals(sampleShape)) {
            return this;
        }
        if (shape.size() != sampleShape.size()) {
            throw new IllegalArgumentException("cannot reshape samples of " + sampleShape + " (" + sampleShape.size()
                    + " values) to " + shape + " (" + shape.size() + " values)");
        }
        return new Dataset(Layouts.reshape(features, sampleShape, shape), shape, range, description + " as " + shape,
                scaling.reshape(shape));
    }

    @Override
    public String toString() {
        return description + ": " + size() + " samples of " + sampleShape + ", range " + range;
    }

    /** A data set cut in two. */
    public record Split(Dataset train, Dataset validation) {}
}
