package dev.latent.processor.shape;

import dev.latent.dsl.Padding;
import dev.latent.processor.model.Counts;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Infers every layer's output shape and parameter count, with the formulas DL4J itself uses
 * (which equal Keras' for every combination the checks allow). A pure function of the model: it
 * only infers, and where a layer's input does not fit it stops and returns why, as a
 * {@link ShapeError} value. Assumes the attribute values are in range.
 */
public final class ShapeInference {
    /**
     * The most values one sample may hold after any layer. The runtime's {@code Shape} and the
     * generated {@code CODE_SIZE} hold sizes as {@code int}s, a flattened sample's size included,
     * and Latent's engine copies a batch's output into a Java {@code float[]}, which holds at most
     * {@code Integer.MAX_VALUE} values: one sample must fit at the least.
     */
    public static final long MAX_VALUES_PER_SAMPLE = Integer.MAX_VALUE;

    private ShapeInference() {}

    /** The shapes of {@code model}, whose input shape must be valid, as far as they can be inferred. */
    public static InferredModel infer(ModelSpec model) {
        Dims input = Dims.of(model.inputShape());
        List<InferredLayer> layers = new ArrayList<>();
        Dims current = input;
        String from = "the input";
        for (Layer layer : concat(model.encoder(), model.decoder())) {
            ShapeStep step = inferOne(layer, current, from);
            if (step instanceof ShapeError error) {
                return new InferredModel(input, layers, error);
            }
            InferredLayer inferred = (InferredLayer) step;
            layers.add(inferred);
            current = inferred.output();
            from = layer.method() + " (" + layer.kind() + ")";
        }
        return new InferredModel(input, layers, null);
    }

    private static List<Layer> concat(List<Layer> a, List<Layer> b) {
        List<Layer> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static ShapeStep inferOne(Layer layer, Dims in, String from) {
        if (layer instanceof Layer.Dense d) {
            if (!in.isVector()) {
                return new ShapeError.NotAVector(d, in, from);
            }
            long n = in.get(0);
            return new InferredLayer(d, in, Dims.of(d.units()), Parameters.dense(n, d.units()), n, d.units());
        }
        if (layer instanceof Layer.Conv2D c) {
            return conv(c, in, from);
        }
        if (layer instanceof Layer.MaxPool2D p) {
            if (!in.isImage()) {
                return new ShapeError.NotAnImage(p, in, from);
            }
            int s = p.effectiveStrides();
            if (p.padding() == Padding.VALID && p.size() > Math.min(in.height(), in.width())) {
                return new ShapeError.WindowOverImage(p, "pool size", p.size(), in, from);
            }
            int h = steps(in.height(), p.size(), s, p.padding());
            int w = steps(in.width(), p.size(), s, p.padding());
            return new InferredLayer(p, in, Dims.of(h, w, in.channels()), 0, 0, 0);
        }
        if (layer instanceof Layer.UpSampling2D u) {
            if (!in.isImage()) {
                return new ShapeError.NotAnImage(u, in, from);
            }
            return OutputFit.fit(u, in, "size", u.size(), size -> new long[] {in.height() * size, in.width() * size,
                    in.channels()}, out -> new InferredLayer(u, in, out, 0, 0, 0));
        }
        if (layer instanceof Layer.Conv1D c) {
            return conv1d(c, in, from);
        }
        if (layer instanceof Layer.MaxPool1D p) {
            if (!in.isSequence()) {
                return new ShapeError.NotASequence(p, in, from);
            }
            if (p.padding() == Padding.VALID && p.size() > in.steps()) {
                return new ShapeError.WindowOverSequence(p, "pool size", p.size(), in, from);
            }
            return new InferredLayer(p, in, Dims.of(steps(in.steps(), p.size(), p.effectiveStrides(), p.padding()),
                    in.features()), 0, 0, 0);
        }
        if (layer instanceof Layer.UpSampling1D u) {
            if (!in.isSequence()) {
                return new ShapeError.NotASequence(u, in, from);
            }
            return OutputFit.fit(u, in, "size", u.size(), size -> new long[] {in.steps() * size, in.features()},
                    out -> new InferredLayer(u, in, out, 0, 0, 0));
        }
        if (layer instanceof Layer.Lstm l) {
            if (!in.isSequence()) {
                return new ShapeError.NotASequence(l, in, from);
            }
            return OutputFit.fit(l, in, "units", l.units(),
                    units -> l.returnSequences() ? new long[] {in.steps(), units} : new long[] {units},
                    out -> new InferredLayer(l, in, out, Parameters.lstm(in.features(), l.units()), in.features(),
                            l.units()));
        }
        if (layer instanceof Layer.Flatten f) {
            if (in.isVector()) {
                return new ShapeError.AlreadyFlat(f, in, from);
            }
            return new InferredLayer(f, in, Dims.of(Math.toIntExact(in.count())), 0, 0, 0);
        }
        if (layer instanceof Layer.Reshape r) {
            if (r.target().count() != in.count()) {
                return new ShapeError.ReshapeMismatch(r, in, from);
            }
            return new InferredLayer(r, in, r.target(), 0, 0, 0);
        }
        if (layer instanceof Layer.BatchNormalization b) {
            // Normalised per channel of an image, per feature of a sequence or a vector.
            long features = in.get(in.rank() - 1);
            return new InferredLayer(b, in, in, Parameters.batchNormalization(features), 0, 0);
        }
        // Dropout keeps the shape and has no parameters.
        return new InferredLayer(layer, in, in, 0, 0, 0);
    }

    private static ShapeStep conv(Layer.Conv2D c, Dims in, String from) {
        if (!in.isImage()) {
            return new ShapeError.NotAnImage(c, in, from);
        }
        int k = c.kernel();
        int s = c.strides();
        Function<Dims, InferredLayer> inferred = out -> new InferredLayer(c, in, out,
                Parameters.conv2D(k, in.channels(), c.filters()), Counts.product(k, k, in.channels()),
                Counts.product(k, k, c.filters()));
        if (c.transposed()) {
            if (c.padding() == Padding.VALID && k < s) {
                return new ShapeError.KernelBelowStrides(c);
            }
            return transposed(c, in, inferred);
        }
        if (k > Math.min(in.height(), in.width())) {
            return new ShapeError.WindowOverImage(c, "kernel", k, in, from);
        }
        int h = steps(in.height(), k, s, c.padding());
        int w = steps(in.width(), k, s, c.padding());
        return OutputFit.fit(c, in, "filters", c.filters(), filters -> new long[] {h, w, filters}, inferred);
    }

    /**
     * A transposed convolution's output, which grows with its strides (and, under VALID, its
     * kernel): the error names the attribute that makes the image too large, or filters.
     */
    private static ShapeStep transposed(Layer.Conv2D c, Dims in, Function<Dims, InferredLayer> inferred) {
        boolean same = c.padding() == Padding.SAME;
        int k = c.kernel();
        int s = c.strides();
        LongFunction<long[]> byStrides = strides -> new long[] {upsampled(in.height(), strides, k, same),
                upsampled(in.width(), strides, k, same), c.filters()};
        LongFunction<long[]> byKernel = kernel -> new long[] {upsampled(in.height(), s, kernel, same),
                upsampled(in.width(), s, kernel, same), c.filters()};
        long oneChannel = Counts.product(upsampled(in.height(), s, k, same), upsampled(in.width(), s, k, same));
        if (oneChannel <= MAX_VALUES_PER_SAMPLE) {
            long h = upsampled(in.height(), s, k, same);
            long w = upsampled(in.width(), s, k, same);
            return OutputFit.fit(c, in, "filters", c.filters(), filters -> new long[] {h, w, filters}, inferred);
        }
        return same || s > 1
                ? OutputFit.fit(c, in, "strides", s, byStrides, inferred)
                : OutputFit.fit(c, in, "kernel", k, byKernel, inferred);
    }

    /** A transposed convolution's output length: SAME multiplies by the strides, VALID adds the kernel's overhang. */
    private static long upsampled(long size, long strides, long kernel, boolean same) {
        return same ? Counts.times(size, strides) : Counts.plus(Counts.times(size - 1, strides), kernel);
    }

    private static ShapeStep conv1d(Layer.Conv1D c, Dims in, String from) {
        if (!in.isSequence()) {
            return new ShapeError.NotASequence(c, in, from);
        }
        if (c.padding() == Padding.VALID && c.kernel() > in.steps()) {
            return new ShapeError.WindowOverSequence(c, "kernel", c.kernel(), in, from);
        }
        long k = c.kernel();
        int steps = steps(in.steps(), c.kernel(), c.strides(), c.padding());
        return OutputFit.fit(c, in, "filters", c.filters(), filters -> new long[] {steps, filters},
                out -> new InferredLayer(c, in, out, Parameters.conv1D(k, in.features(), c.filters()),
                        Counts.times(k, in.features()), Counts.times(k, c.filters())));
    }

    /** Output length of a window sliding along {@code steps} (or rows, or columns): SAME keeps ceil(T / s), VALID drops partial windows. */
    private static int steps(int steps, int window, int strides, Padding padding) {
        return padding == Padding.SAME ? ceilDiv(steps, strides) : (steps - window) / strides + 1;
    }

    /** {@code ceil(a / b)} for {@code a} and {@code b} of at least 1, without {@code a + b} passing int's range. */
    private static int ceilDiv(int a, int b) {
        return (a - 1) / b + 1;
    }
}
