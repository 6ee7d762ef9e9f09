package dev.latent.runtime.data;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.settings.Backend;
import dev.latent.runtime.settings.Shape;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The map from a file's own values to a model's {@link DataRange}, fitted on training data and
 * saved with the model, so that new data is scaled the same way and outputs can be mapped back.
 * Every kind is affine per feature (each value position of a sample), with statistics taken per
 * feature of a vector {@code {N}} and per channel (the last dimension) of an image {@code {H, W, C}}
 * or a sequence {@code {T, F}}:
 * {@code scaled = (value - offset) / scale}, {@code value = scaled * scale + offset}.
 *
 * <ul>
 *   <li>{@link Kind#PIXELS}: 8-bit pixels, fixed, not fitted: {@code UNIT} divides by 255,
 *       {@code SYMMETRIC} maps {@code p / 127.5 - 1}.
 *   <li>{@link Kind#IDENTITY}: other values that already lie in a bounded range are taken as given.
 *   <li>{@link Kind#MIN_MAX}: other values outside a bounded range: the training minimum and
 *       maximum map to the range's ends. New data outside the training extremes maps outside the
 *       range.
 *   <li>{@link Kind#STANDARD}: {@code UNBOUNDED}: to mean 0 and standard deviation 1 over the
 *       training samples.
 * </ul>
 *
 * A feature that does not vary in training (a constant column) takes the whole data's spread, so
 * that new data varying there is not divided by almost nothing.
 *
 * Immutable.
 */
public final class Scaling {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    /** How a scaling was chosen. */
    public enum Kind {
        /** Values taken as given. */
        IDENTITY,
        /** 8-bit pixels, by a fixed rule. */
        PIXELS,
        /** Each feature's training minimum and maximum to the range's ends. */
        MIN_MAX,
        /** Each feature to training mean 0 and standard deviation 1. */
        STANDARD
    }

    /** Groups with a smaller spread (a constant column) take the data's overall spread: centred, never blown up. */
    static final double SPREAD_FLOOR = 1e-6;

    private final Kind kind;
    private final DataRange range;
    private final Shape sampleShape;
    // Length 1 (the same for every feature) or sampleShape.size(), in the engine's layout.
    private final float[] offset;
    private final float[] scale;

    private Scaling(Kind kind, DataRange range, Shape sampleShape, float[] offset, float[] scale) {
        this.kind = kind;
        this.range = range;
        this.sampleShape = sampleShape;
        this.offset = offset;
        this.scale = scale;
    }

    /** Values taken as given: what a data set made from values already in range carries. */
    public static Scaling identity(Shape sampleShape, DataRange range) {
        return new Scaling(Kind.IDENTITY, Objects.requireNonNull(range, "range"),
                Objects.requireNonNull(sampleShape, "sampleShape"), new float[] {0}, new float[] {1});
    }

    /** The scaling {@code train}'s values need to lie in {@code range}; see the class comment. */
    public static Scaling fit(Samples train, DataRange range) {
        Objects.requireNonNull(range, "range");
        Shape shape = train.sampleShape();
        if (train.pixels() && range.isBounded()) {
            return pixels(shape, range);
        }
        INDArray all = train.features();
        if (!range.isBounded()) {
            INDArray groups = groups(all, shape);
            return standard(range, shape, groups.mean(0), groups.std(false, 0), all.stdNumber().doubleValue());
        }
        if (all.minNumber().doubleValue() >= range.min() && all.maxNumber().doubleValue() <= range.max()) {
            return identity(shape, range);
        }
        INDArray groups = groups(all, shape);
        return minMax(range, shape, groups.min(0), groups.max(0), all.minNumber().doubleValue(),
                all.maxNumber().doubleValue());
    }

    private static Scaling pixels(Shape shape, DataRange range) {
        float half = 127.5f;
        return range == DataRange.UNIT
                ? new Scaling(Kind.PIXELS, range, shape, new float[] {0}, new float[] {255})
                : new Scaling(Kind.PIXELS, range, shape, new float[] {half}, new float[] {half});
    }

    private static Scaling standard(DataRange range, Shape shape, INDArray mean, INDArray std, double overallStd) {
        return new Scaling(Kind.STANDARD, range, shape, perFeature(mean, shape),
                perFeature(spread(std, overallStd), shape));
    }

    private static Scaling minMax(DataRange range, Shape shape, INDArray min, INDArray max, double allMin,
            double allMax) {
        INDArray width = spread(max.sub(min), allMax - allMin);
        return range == DataRange.UNIT
                ? new Scaling(Kind.MIN_MAX, range, shape, perFeature(min, shape), perFeature(width, shape))
                : new Scaling(Kind.MIN_MAX, range, shape, perFeature(min.add(max).divi(2), shape),
                        perFeature(width.divi(2), shape));
    }

    /**
     * Fits a scaling one block of samples at a time, for data that does not fit in memory: the same
     * scaling as {@link #fit} on all the blocks at once, up to rounding (sums are kept in double).
     */
    static final class Fitter {
        private final DataRange range;
        private Shape shape;
        private boolean pixels = true;
        private long rows;
        // Per group, in double: a file of millions of samples would lose digits summed in float.
        private INDArray min;
        private INDArray max;
        private INDArray sum;
        private INDArray sumOfSquares;

        Fitter(DataRange range) {
            this.range = Objects.requireNonNull(range, "range");
        }

        /** Takes one block's statistics; every block must hold samples of the same shape. */
        void add(Samples block) {
            if (shape != null && !shape.equals(block.sampleShape())) {
                throw new IllegalArgumentException("a block of " + block.sampleShape() + " among blocks of " + shape);
            }
            shape = block.sampleShape();
            pixels &= block.pixels();
            INDArray groups = groups(block.features(), shape).castTo(DataType.DOUBLE);
            INDArray squares = groups.mul(groups);
            rows += groups.rows();
            if (sum == null) {
                min = groups.min(0);
                max = groups.max(0);
                sum = groups.sum(0);
                sumOfSquares = squares.sum(0);
            } else {
                min = Transforms.min(min, groups.min(0), false);
                max = Transforms.max(max, groups.max(0), false);
                sum.addi(groups.sum(0));
                sumOfSquares.addi(squares.sum(0));
            }
            StreamedDataset.release(groups);
            StreamedDataset.release(squares);
        }

        /** The scaling of all the blocks taken. */
        Scaling result() {
            if (shape == null) {
                throw new IllegalStateException("no samples to fit a scaling on");
            }
            if (pixels && range.isBounded()) {
                return pixels(shape, range);
            }
            if (!range.isBounded()) {
                INDArray mean = sum.div(rows);
                INDArray variance = Transforms.max(sumOfSquares.div(rows).subi(mean.mul(mean)), 0.0, false);
                double count = (double) rows * sum.length();
                double overallMean = sum.sumNumber().doubleValue() / count;
                double overallVariance = count > 1
                        ? Math.max(0, (sumOfSquares.sumNumber().doubleValue() - count * overallMean * overallMean) / (count - 1))
                        : 0;
                return standard(range, shape, mean.castTo(DataType.FLOAT), Transforms.sqrt(variance, false)
                        .castTo(DataType.FLOAT), Math.sqrt(overallVariance));
            }
            double allMin = min.minNumber().doubleValue();
            double allMax = max.maxNumber().doubleValue();
            if (allMin >= range.min() && allMax <= range.max()) {
                return identity(shape, range);
            }
            return minMax(range, shape, min.castTo(DataType.FLOAT), max.castTo(DataType.FLOAT), allMin, allMax);
        }
    }

    /**
     * The values as rows whose columns are the groups a statistic is taken over: each feature of a
     * vector {@code {N}}; each channel (the last dimension, C of {@code {H, W, C}}, F of
     * {@code {T, F}}) of anything else, since a pixel or a time step has no statistics of its own:
     * a border pixel always 0 in training would otherwise divide a later stroke by almost nothing.
     */
    private static INDArray groups(INDArray features, Shape shape) {
        INDArray keras = Layouts.reshape(features, shape, Shape.of((int) shape.size()));
        int channels = shape.rank() == 1 ? (int) shape.size() : shape.dim(shape.rank() - 1);
        return keras.reshape('c', keras.length() / channels, channels);
    }

    /** Per-group spreads, a group that barely varies taking the whole data's spread (or 1) instead. */
    private static INDArray spread(INDArray perGroup, double overall) {
        double fallback = overall > SPREAD_FLOOR ? overall : 1;
        INDArray spreads = perGroup.dup();
        BooleanIndexing.replaceWhere(spreads, fallback, Conditions.lessThan(SPREAD_FLOOR));
        return spreads;
    }

    /** One value per group, repeated for every feature it covers, in the engine's layout. */
    private static float[] perFeature(INDArray perGroup, Shape shape) {
        long groups = perGroup.length();
        INDArray keras = perGroup.reshape(1, groups).repeat(0, shape.size() / groups).reshape(1, shape.size());
        return Layouts.reshape(keras, Shape.of((int) shape.size()), shape).ravel().toFloatVector();
    }

    /**
     * Fits a scaling on {@code samples} and applies it: for data that is all training data.
     * To keep validation data out of the fit, see {@link Samples}.
     */
    public static Dataset fitAndApply(Samples samples, DataRange range) {
        return fit(samples, range).apply(samples);
    }

    /**
     * {@code samples} scaled into this scaling's range, as a data set that carries this scaling.
     *
     * @throws DataFileException if the samples' shape is not the one this scaling was fitted on
     */
    public Dataset apply(Samples samples) {
        if (!samples.sampleShape().equals(sampleShape)) {
            throw new DataFileException(samples.source(), "samples of " + samples.sampleShape()
                    + " cannot take a scaling fitted on samples of " + sampleShape);
        }
        return Dataset.of(apply(samples.features()), sampleShape, range, samples.description(), this);
    }

    /**
     * A batch in the engine's layout ({@code [n, ...]}), scaled: a new array.
     *
     * @throws IllegalArgumentException if the batch does not hold samples of this scaling's shape
     */
    public INDArray apply(INDArray values) {
        return transform(values, false);
    }

    /** The inverse of {@link #apply(INDArray)}: scaled values back in the file's units, as a new array. */
    public INDArray invert(INDArray scaled) {
        return transform(scaled, true);
    }

    private INDArray transform(INDArray values, boolean inverse) {
        long n = values.size(0);
        if (values.length() != n * sampleShape.size()) {
            throw new IllegalArgumentException("a batch of shape " + Arrays.toString(values.shape())
                    + " does not hold samples of " + sampleShape);
        }
        INDArray rows = values.castTo(DataType.FLOAT).dup('c').reshape('c', n, sampleShape.size());
        if (offset.length == 1) {
            if (inverse) {
                rows.muli(scale[0]).addi(offset[0]);
            } else {
                rows.subi(offset[0]).divi(scale[0]);
            }
        } else {
            INDArray o = Nd4j.create(offset, new long[] {1, offset.length}, 'c');
            INDArray s = Nd4j.create(scale, new long[] {1, scale.length}, 'c');
            if (inverse) {
                rows.muliRowVector(s).addiRowVector(o);
            } else {
                rows.subiRowVector(o).diviRowVector(s);
            }
        }
        return rows.reshape('c', values.shape());
    }

    /** The same scaling for the same values laid out as samples of {@code shape}. */
    public Scaling reshape(Shape shape) {
        if (shape.equals(sampleShape)) {
            return this;
        }
        if (shape.size() != sampleShape.size()) {
            throw new IllegalArgumentException("cannot reshape a scaling for " + sampleShape + " to " + shape);
        }
        return new Scaling(kind, range, shape, relayout(offset, shape), relayout(scale, shape));
    }

    private float[] relayout(float[] perFeature, Shape shape) {
        if (perFeature.length == 1) {
            return perFeature;
        }
        INDArray one = Nd4j.create(perFeature, sampleShape.batchShape(1), 'c');
        return Layouts.reshape(one, sampleShape, shape).ravel().toFloatVector();
    }

    /** How the scaling was chosen. */
    public Kind kind() {
        return kind;
    }

    /** The range it scales into. */
    public DataRange range() {
        return range;
    }

    /** The shape of the samples it applies to. */
    public Shape sampleShape() {
        return sampleShape;
    }

    /**
     * The scaling as the lines of a properties file (stored in a saved model); {@link #parse}
     * reads it back exactly: floats are written in their shortest exact form.
     */
    public String toText() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("kind", kind.name());
        lines.put("range", range.name());
        lines.put("sampleShape", Arrays.stream(sampleShape.dims()).mapToObj(Integer::toString)
                .collect(Collectors.joining(",")));
        lines.put("offset", join(offset));
        lines.put("scale", join(scale));
        StringBuilder text = new StringBuilder("# How the data was scaled into the model's range\n");
        lines.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    /**
     * Reads what {@link #toText} wrote.
     *
     * @throws IllegalArgumentException naming the key that is missing or malformed
     */
    public static Scaling parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Kind kind = Kind.valueOf(required(p, "kind"));
        DataRange range = DataRange.valueOf(required(p, "range"));
        Shape shape = Shape.of(Arrays.stream(required(p, "sampleShape").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray());
        float[] offset = floats(required(p, "offset"));
        float[] scale = floats(required(p, "scale"));
        for (float[] v : new float[][] {offset, scale}) {
            if (v.length != 1 && v.length != shape.size()) {
                throw new IllegalArgumentException(v.length + " offsets or scales for samples of " + shape
                        + ", expected 1 or " + shape.size());
            }
        }
        for (float s : scale) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("scale " + s + ", expected positive finite numbers");
            }
        }
        return new Scaling(kind, range, shape, offset, scale);
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return value.trim();
    }

    private static String join(float[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ",").append(values[i]);
        }
        return s.toString();
    }

    private static float[] floats(String text) {
        String[] parts = text.split(",");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Float.parseFloat(parts[i].trim());
        }
        return values;
    }

    // Records would compare the arrays by identity; a loaded scaling should equal the saved one.
    @Override
    public boolean equals(Object o) {
        return o instanceof Scaling other && kind == other.kind && range == other.range
                && sampleShape.equals(other.sampleShape) && Arrays.equals(offset, other.offset)
                && Arrays.equals(scale, other.scale);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, range, sampleShape, Arrays.hashCode(offset), Arrays.hashCode(scale));
    }

    private String per() {
        return sampleShape.rank() == 3 ? "per channel" : "per feature";
    }

    /** What it does, for descriptions: {@code min-max per channel to [0, 1]}. */
    @Override
    public String toString() {
        String bounds = range.isBounded()
                ? String.format(Locale.ROOT, "[%d, %d]", (int) range.min(), (int) range.max()) : "";
        return switch (kind) {
            case IDENTITY -> "values as given";
            case PIXELS -> "pixels 0..255 to " + bounds;
            case MIN_MAX -> "min-max " + per() + " to " + bounds;
            case STANDARD -> "standardised " + per();
        };
    }
}
