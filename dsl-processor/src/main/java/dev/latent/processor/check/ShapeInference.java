package dev.latent.processor.check;

import dev.latent.dsl.Padding;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.SourceRef;
import java.util.ArrayList;
import java.util.List;

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
            if (inferred != null && inferred.output().count() > Integer.MAX_VALUE) {
                report.add(Message.TOO_LARGE, layer.source(), model.where(layer), inferred.output(),
                        inferred.output().count(), Integer.MAX_VALUE);
                inferred = null;
            }
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
            return new InferredLayer(d, in, Dims.of(d.units()), n * d.units() + d.units(), n, d.units());
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
            int h = p.padding() == Padding.SAME ? ceilDiv(in.height(), s) : (in.height() - p.size()) / s + 1;
            int w = p.padding() == Padding.SAME ? ceilDiv(in.width(), s) : (in.width() - p.size()) / s + 1;
            return new InferredLayer(p, in, Dims.of(h, w, in.channels()), 0, 0, 0);
        }
        if (layer instanceof Layer.UpSampling2D u) {
            if (!needsImage(model, u, in, from, report)) {
                return null;
            }
            return new InferredLayer(u, in, Dims.of(clamp((long) in.height() * u.size()), clamp((long) in.width() * u.size()), in.channels()), 0, 0, 0);
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
            return new InferredLayer(u, in, Dims.of(clamp((long) in.steps() * u.size()), in.features()), 0, 0, 0);
        }
        if (layer instanceof Layer.Lstm l) {
            if (!needsSequence(model, l, in, from, report)) {
                return null;
            }
            long u = l.units();
            // Four gates, each with input weights, recurrent weights and a bias, as Keras and DL4J count them.
            long parameters = 4 * (in.features() * u + u * u + u);
            Dims out = l.returnSequences() ? Dims.of(in.steps(), l.units()) : Dims.of(l.units());
            return new InferredLayer(l, in, out, parameters, in.features(), u);
        }
        if (layer instanceof Layer.Flatten f) {
            if (in.isVector()) {
                report.add(Message.FLATTEN_OF_VECTOR, f.source(), where, in, from);
                return null;
            }
            return new InferredLayer(f, in, Dims.of((int) in.count()), 0, 0, 0);
        }
        if (layer instanceof Layer.Reshape r) {
            if (r.target().count() != in.count()) {
                report.add(Message.RESHAPE_COUNT, r.source(), where, r.target(), r.target().count(), in, from,
                        in.count(), in.count());
                return null;
            }
            return new InferredLayer(r, in, r.target(), 0, 0, 0);
        }
        if (layer instanceof Layer.BatchNormalization b) {
            // Normalised per channel of an image, per feature of a sequence or a vector.
            long features = in.get(in.rank() - 1);
            return new InferredLayer(b, in, in, 4 * features, 0, 0);
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
        int h;
        int w;
        if (c.transposed()) {
            if (c.padding() == Padding.VALID && k < s) {
                report.add(Message.TRANSPOSE_KERNEL_BELOW_STRIDES, c.source().attribute("kernel"), model.where(c), k, s, s);
                return null;
            }
            h = clamp(c.padding() == Padding.SAME ? (long) in.height() * s : (long) (in.height() - 1) * s + k);
            w = clamp(c.padding() == Padding.SAME ? (long) in.width() * s : (long) (in.width() - 1) * s + k);
        } else {
            if (!windowFits(model, c, "kernel", k, in, from, report)) {
                return null;
            }
            h = c.padding() == Padding.SAME ? ceilDiv(in.height(), s) : (in.height() - k) / s + 1;
            w = c.padding() == Padding.SAME ? ceilDiv(in.width(), s) : (in.width() - k) / s + 1;
        }
        long weights = (long) k * k * in.channels() * c.filters();
        return new InferredLayer(c, in, Dims.of(h, w, c.filters()), weights + c.filters(),
                (long) k * k * in.channels(), (long) k * k * c.filters());
    }

    private static InferredLayer conv1d(ModelSpec model, Layer.Conv1D c, Dims in, String from, Report report) {
        if (!needsSequence(model, c, in, from, report)) {
            return null;
        }
        if (c.padding() == Padding.VALID && !stepsFit(model, c, "kernel", c.kernel(), in, from, report)) {
            return null;
        }
        long k = c.kernel();
        return new InferredLayer(c, in, Dims.of(steps(in.steps(), c.kernel(), c.strides(), c.padding()), c.filters()),
                k * in.features() * c.filters() + c.filters(), k * in.features(), k * c.filters());
    }

    /** Output length of a window sliding along {@code steps}: SAME keeps ceil(T / s), VALID drops partial windows. */
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

    /** A size past int's range saturates; the size check after each layer then reports it. */
    private static int clamp(long size) {
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
