package dev.latent.runtime.data;

import dev.latent.runtime.settings.Backend;
import dev.latent.runtime.settings.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Samples as a reader found them, before any {@link Scaling}: the file's own values in the
 * engine's layout ({@link Shape#batchShape}). A {@link Scaling} is fitted on the training part
 * and turns them into a {@link Dataset}:
 *
 * <pre>{@code
 * Samples all = Datasets.read(Path.of("readings.csv"), Shape.of(64));
 * Samples.Split parts = all.splitLast(0.2);
 * Scaling scaling = Scaling.fit(parts.train(), DataRange.UNIT);   // training data only
 * Dataset train = scaling.apply(parts.train());
 * Dataset validation = scaling.apply(parts.validation());
 * }</pre>
 *
 * Immutable; every method returns new samples (sharing memory where it can).
 *
 * <p>Its accessors and cuts ({@code size}, {@code sampleShape}, {@code head}, {@code tail},
 * {@code splitLast}) deliberately mirror {@link Dataset}'s: the same samples before and after
 * scaling. The arithmetic of the cuts is written once, in {@link SampleCuts}.
 */
public final class Samples {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    private final INDArray features;
    private final Shape sampleShape;
    private final boolean pixels;
    private final String source;
    private final String description;

    private Samples(INDArray features, Shape sampleShape, boolean pixels, String source, String description) {
        this.features = features;
        this.sampleShape = sampleShape;
        this.pixels = pixels;
        this.source = source;
        this.description = description;
    }

    /**
     * Samples from values in Keras order (an image walks H, then W, then C).
     *
     * @param pixels whether the values are 8-bit pixels 0..255, scaled by a fixed rule rather than fitted
     * @param source the file, as messages name it
     * @param description where the data came from, for reports
     * @throws DataFileException if a value is NaN or infinite
     */
    public static Samples of(float[] values, int count, Shape sampleShape, boolean pixels, String source,
            String description) {
        Objects.requireNonNull(values, "values");
        if (count <= 0 || values.length != count * sampleShape.size()) {
            throw new IllegalArgumentException(values.length + " values do not hold " + count + " samples of "
                    + sampleShape + " (" + sampleShape.size() + " values each)");
        }
        INDArray features = Layouts.toEngine(values, count, sampleShape);
        if (BooleanIndexing.or(features, Conditions.notFinite())) {
            throw notFinite(source, values, firstNonFinite(values), 0, sampleShape);
        }
        return new Samples(features.castTo(DataType.FLOAT), sampleShape, pixels, source, description);
    }

    /** The index of the first NaN or infinite value, or -1. */
    static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The error for {@code values[at]}, of samples numbered from {@code firstSample} (0-based) in the file. */
    static DataFileException notFinite(String source, float[] values, int at, long firstSample, Shape sampleShape) {
        return new DataFileException(source, String.format(Locale.ROOT,
                "value %s at sample %,d, element %,d: expected finite numbers",
                values[at], firstSample + at / sampleShape.size() + 1, at % sampleShape.size() + 1));
    }

    /** Number of samples. */
    public int size() {
        return (int) features.size(0);
    }

    /** Shape of one sample, in Keras order. */
    public Shape sampleShape() {
        return sampleShape;
    }

    /** Whether the values are 8-bit pixels 0..255 (IDX and NumPy unsigned bytes, image files). */
    public boolean pixels() {
        return pixels;
    }

    /** The file the samples came from, as messages name it. */
    public String source() {
        return source;
    }

    /** Where the data came from and how it was cut, for reports. */
    public String description() {
        return description;
    }

    /** The file's values in the engine's layout. Do not modify. */
    public INDArray features() {
        return features;
    }

    /** The first {@code n} samples. */
    public Samples head(int n) {
        return slice(0, n);
    }

    /** The last {@code n} samples. */
    public Samples tail(int n) {
        return slice(size() - n, size());
    }

    private Samples slice(int from, int to) {
        return new Samples(SampleCuts.slice(features, from, to), sampleShape, pixels, source,
                description + " [" + from + ", " + to + ")");
    }

    /**
     * Splits off the last {@code fraction} of the samples, as the trainer's validation split does,
     * so that a scaling can be fitted on the first part alone.
     *
     * @throws DataFileException if the file holds too few samples to leave some on both sides
     */
    public Split splitLast(double fraction) {
        int held = SampleCuts.heldOut(fraction, size());
        if (held < 1 || held >= size()) {
            throw new DataFileException(source, String.format(Locale.ROOT,
                    "%,d samples cannot be split %s for validation: one side would be empty", size(), fraction));
        }
        return new Split(head(size() - held), tail(held));
    }

    /**
     * The same values as samples of the model's {@code inputShape}, when only the layout differs
     * ({@code {28, 28, 1}} and {@code {784}}).
     *
     * @throws DataFileException if a sample holds another number of values than the model's input
     */
    public Samples fitTo(Shape inputShape) {
        if (inputShape.equals(sampleShape)) {
            return this;
        }
        if (inputShape.size() != sampleShape.size()) {
            throw doesNotFit(source, sampleShape, inputShape);
        }
        return new Samples(Layouts.reshape(features, sampleShape, inputShape), inputShape, pixels, source,
                description + " as " + inputShape);
    }

    static DataFileException doesNotFit(String source, Shape sampleShape, Shape inputShape) {
        return new DataFileException(source, String.format(Locale.ROOT,
                "samples of %s (%,d values) do not fit the model's input %s (%,d values)",
                sampleShape, sampleShape.size(), inputShape, inputShape.size()));
    }

    @Override
    public String toString() {
        return description + ": " + size() + " samples of " + sampleShape + (pixels ? ", pixels" : "")
                + ", shape " + Arrays.toString(features.shape());
    }

    /** Samples cut in two: the first part trains, the second validates. */
    public record Split(Samples train, Samples validation) {}
}
