package dev.latent.processor.check;

import dev.latent.dsl.Padding;
import dev.latent.processor.model.Counts;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Infers every layer's output shape and parameter count, with the formulas DL4J itself uses
 * (which equal Keras' for every combination the checks allow), and reports the layers whose
 * input does not fit. A pure function of the model; assumes the attribute values are in range.
 */
public final class ShapeInference {
    private ShapeInference() {}

    /** The shapes of {@code model}, whose input shape must be valid; problems go to {@code report}. */
    public static InferredModel infer(ModelSpec model, Report report) {
        Dims input = Dims.of(model.inputShape());
        List<InferredLayer> layers = new ArrayList<>();
        Dims current = input;
        String from = "the input";
        for (Layer layer : concat(model.encoder(), model.decoder())) {
            InferredLayer inferred = inferOne(model, layer, current, from, report);
            if (inferred == null) {
                return new InferredModel(input, layers, false);
            }
            layers.add(inferred);
            current = inferred.output();
            from = layer.method() + " (" + layer.kind() + ")";
        }
        return new InferredModel(input, layers, true);
    }

    private static List<Layer> concat(List<Layer> a, List<Layer> b) {
        List<Layer> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static InferredLayer inferOne(ModelSpec model, Layer layer, Dims in, String from, Report report) {
        String where = model.where(layer);
        if (layer instanceof Layer.Dense d) {
            if (!in.isVector()) {
                report.add(Message.DENSE_NEEDS_VECTOR, d.source(), where, in.describe(), from);
                return null;
            }
            long n = in.get(0);
            return new InferredLayer(d, in, Dims.of(d.units()), Parameters.dense(n, d.units()), n, d.units());
        }
        if (layer instanceof Layer.Conv2D c) {
            return conv(model, c, in, from, report);
        }
        if (layer instanceof Layer.MaxPool2D p) {
            if (!needsImage(model, p, in, from, report)) {
                return null;
            }
            int s = p.effectiveStrides();
            if (p.padding() == Padding.VALID && !windowFits(model, p, "pool size", p.size(), in, from, report)) {
                return null;
            }
            int h = steps(in.height(), p.size(), s, p.padding());
            int w = steps(in.width(), p.size(), s, p.padding());
            return new InferredLayer(p, in, Dims.of(h, w, in.channels()), 0, 0, 0);
        }
        if (layer instanceof Layer.UpSampling2D u) {
            if (!needsImage(model, u, in, from, report)) {
                return null;
            }
            Dims out = OutputSizeLimit.fit(model, u, in, "size", u.size(),
                    size -> new long[] {in.height() * size, in.width() * size, in.channels()}, report);
            return out == null ? null : new InferredLayer(u, in, out, 0, 0, 0);
        }
        if (layer instanceof Layer.Conv1D c) {
            return conv1d(model, c, in, from, report);
        }
        if (layer instanceof Layer.MaxPool1D p) {
            if (!needsSequence(model, p, in, from, report)) {
                return null;
            }
            if (p.padding() == Padding.VALID && !stepsFit(model, p, "pool size", p.size(), in, from, report)) {
                return null;
            }
            return new InferredLayer(p, in, Dims.of(steps(in.steps(), p.size(), p.effectiveStrides(), p.padding()),
                    in.features()), 0, 0, 0);
        }
        if (layer instanceof Layer.UpSampling1D u) {
            if (!needsSequence(model, u, in, from, report)) {
                return null;
            }
            Dims out = OutputSizeLimit.fit(model, u, in, "size", u.size(),
                    size -> new long[] {in.steps() * size, in.features()}, report);
            return out == null ? null : new InferredLayer(u, in, out, 0, 0, 0);
        }
        if (layer instanceof Layer.Lstm l) {
            if (!needsSequence(model, l, in, from, report)) {
                return null;
            }
            Dims out = OutputSizeLimit.fit(model, l, in, "units", l.units(),
                    units -> l.returnSequences() ? new long[] {in.steps(), units} : new long[] {units}, report);
            return out == null ? null
                    : new InferredLayer(l, in, out, Parameters.lstm(in.features(), l.units()), in.features(), l.units());
        }
        if (layer instanceof Layer.Flatten f) {
            if (in.isVector()) {
                report.add(Message.FLATTEN_OF_VECTOR, f.source(), where, in, from);
                return null;
            }
            return new InferredLayer(f, in, Dims.of(Math.toIntExact(in.count())), 0, 0, 0);
        }
        if (layer instanceof Layer.Reshape r) {
            if (r.target().count() != in.count()) {
                report.add(Message.RESHAPE_COUNT, r.source(), where, r.target(), Counts.describe(r.target().count()), in,
                        from, in.count(), in.count());
                return null;
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

    private static InferredLayer conv(ModelSpec model, Layer.Conv2D c, Dims in, String from, Report report) {
        if (!needsImage(model, c, in, from, report)) {
            return null;
        }
        int k = c.kernel();
        int s = c.strides();
        Dims out;
        if (c.transposed()) {
            if (c.padding() == Padding.VALID && k < s) {
                report.add(Message.TRANSPOSE_KERNEL_BELOW_STRIDES, c.source().attribute("kernel"), model.where(c), k, s, s);
                return null;
            }
            out = transposedOutput(model, c, in, report);
        } else {
            if (!windowFits(model, c, "kernel", k, in, from, report)) {
                return null;
            }
            int h = steps(in.height(), k, s, c.padding());
            int w = steps(in.width(), k, s, c.padding());
            out = OutputSizeLimit.fit(model, c, in, "filters", c.filters(), filters -> new long[] {h, w, filters}, report);
        }
        return out == null ? null : new InferredLayer(c, in, out, Parameters.conv2D(k, in.channels(), c.filters()),
                Counts.product(k, k, in.channels()), Counts.product(k, k, c.filters()));
    }

    /**
     * A transposed convolution's output, which grows with its strides (and, under VALID, its
     * kernel): the error goes on the attribute that makes the image too large, or on filters.
     */
    private static Dims transposedOutput(ModelSpec model, Layer.Conv2D c, Dims in, Report report) {
        boolean same = c.padding() == Padding.SAME;
        int k = c.kernel();
        int s = c.strides();
        LongFunction<long[]> byStrides = strides -> new long[] {upsampled(in.height(), strides, k, same),
                upsampled(in.width(), strides, k, same), c.filters()};
        LongFunction<long[]> byKernel = kernel -> new long[] {upsampled(in.height(), s, kernel, same),
                upsampled(in.width(), s, kernel, same), c.filters()};
        long oneChannel = Counts.product(upsampled(in.height(), s, k, same), upsampled(in.width(), s, k, same));
        if (oneChannel <= OutputSizeLimit.MAX_VALUES_PER_SAMPLE) {
            long h = upsampled(in.height(), s, k, same);
            long w = upsampled(in.width(), s, k, same);
            return OutputSizeLimit.fit(model, c, in, "filters", c.filters(), filters -> new long[] {h, w, filters}, report);
        }
        return same || s > 1
                ? OutputSizeLimit.fit(model, c, in, "strides", s, byStrides, report)
                : OutputSizeLimit.fit(model, c, in, "kernel", k, byKernel, report);
    }

    /** A transposed convolution's output length: SAME multiplies by the strides, VALID adds the kernel's overhang. */
    private static long upsampled(long size, long strides, long kernel, boolean same) {
        return same ? Counts.times(size, strides) : Counts.plus(Counts.times(size - 1, strides), kernel);
    }

    private static InferredLayer conv1d(ModelSpec model, Layer.Conv1D c, Dims in, String from, Report report) {
        if (!needsSequence(model, c, in, from, report)) {
            return null;
        }
        if (c.padding() == Padding.VALID && !stepsFit(model, c, "kernel", c.kernel(), in, from, report)) {
            return null;
        }
        long k = c.kernel();
        int steps = steps(in.steps(), c.kernel(), c.strides(), c.padding());
        Dims out = OutputSizeLimit.fit(model, c, in, "filters", c.filters(), filters -> new long[] {steps, filters}, report);
        return out == null ? null : new InferredLayer(c, in, out, Parameters.conv1D(k, in.features(), c.filters()),
                Counts.times(k, in.features()), Counts.times(k, c.filters()));
    }

    /** Output length of a window sliding along {@code steps} (or rows, or columns): SAME keeps ceil(T / s), VALID drops partial windows. */
    private static int steps(int steps, int window, int strides, Padding padding) {
        return padding == Padding.SAME ? ceilDiv(steps, strides) : (steps - window) / strides + 1;
    }

    private static boolean needsImage(ModelSpec model, Layer layer, Dims in, String from, Report report) {
        if (in.isImage()) {
            return true;
        }
        String fix = in.isSequence()
                ? "use the 1-D layers on a sequence (@Conv1D, @MaxPool1D, @UpSampling1D), or add '@Reshape({H, W, C})' before it."
                : "add '@Reshape({H, W, C})' before it.";
        report.add(Message.NEEDS_IMAGE, layer.source(), model.where(layer), layer.kind(), in.describe(), from, fix);
        return false;
    }

    private static boolean needsSequence(ModelSpec model, Layer layer, Dims in, String from, Report report) {
        if (in.isSequence()) {
            return true;
        }
        String fix = in.isImage()
                ? "use the 2-D layers on an image (@Conv2D, @MaxPool2D, @UpSampling2D), or add '@Reshape({T, F})' before it."
                : "add '@Reshape({T, F})' before it.";
        report.add(Message.NEEDS_SEQUENCE, layer.source(), model.where(layer), layer.kind(), in.describe(), from, fix);
        return false;
    }

    private static boolean stepsFit(ModelSpec model, Layer layer, String what, int size, Dims in, String from,
            Report report) {
        if (size <= in.steps()) {
            return true;
        }
        report.add(Message.WINDOW_TOO_LONG, windowAttribute(layer, what), model.where(layer), what, size, in.steps(), from, what, in.steps());
        return false;
    }

    private static boolean windowFits(ModelSpec model, Layer layer, String what, int size, Dims in, String from,
            Report report) {
        int limit = Math.min(in.height(), in.width());
        if (size <= limit) {
            return true;
        }
        report.add(Message.WINDOW_TOO_LARGE, windowAttribute(layer, what), model.where(layer), what,
                size, in.height(), in.width(), from, what, limit);
        return false;
    }

    private static SourceRef windowAttribute(Layer layer, String what) {
        return what.equals("kernel") ? layer.source().attribute("kernel") : layer.source().attribute("size", "value");
    }

    /** {@code ceil(a / b)} for {@code a} and {@code b} of at least 1, without {@code a + b} passing int's range. */
    private static int ceilDiv(int a, int b) {
        return (a - 1) / b + 1;
    }
}
