package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Counts;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.SourceRef;
import dev.latent.processor.shape.InferredLayer;
import dev.latent.processor.shape.InferredModel;
import dev.latent.processor.shape.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongUnaryOperator;

/**
 * {@code latent:layer-parameters}: every layer's parameters must fit in one array: an error on the layer's units or filters, with
 * the largest value that fits, for a layer past the limit.
 */
final class LayerParameters implements ShapeRule {
    /**
     * The most parameters one layer may hold. DL4J gives each layer a view of the network's one
     * parameter array and of its gradient, and Latent's engine copies a gradient into a Java
     * {@code float[]} (its Adam updater), which holds at most {@code Integer.MAX_VALUE} values.
     * At 4 bytes a value that is already 8 GiB for the weights alone, and as much again for the
     * gradient and each of Adam's two moments.
     */
    static final long MAX_LAYER_PARAMETERS = Integer.MAX_VALUE;

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        List<Diagnostic> report = new ArrayList<>();
        for (InferredLayer layer : shapes.layers()) {
            if (layer.parameters() > MAX_LAYER_PARAMETERS) {
                report(model, layer, report);
            }
        }
        return report;
    }

    private static void report(ModelSpec model, InferredLayer inferred, List<Diagnostic> report) {
        Layer layer = inferred.layer();
        String attribute = sizeAttribute(layer);
        LongUnaryOperator bySize = parametersBySize(inferred);
        String fix;
        if (bySize == null) {
            // Batch normalisation: four values per feature of its input, which the layers before it set.
            fix = String.format(Locale.ROOT, "downsample before it to at most %,d features or channels.",
                    MAX_LAYER_PARAMETERS / 4);
        } else {
            int largest = Counts.largest(bySize, MAX_LAYER_PARAMETERS);
            fix = largest >= 1
                    ? String.format(Locale.ROOT, "lower %s to %,d or less, or downsample before it.", attribute, largest)
                    : "downsample before it; even " + attribute + " = 1 is too large on its input " + inferred.input() + ".";
        }
        report.add(Diagnostic.of(Message.LAYER_PARAMETERS, at(layer), model.where(layer), layer.kind(),
                Counts.describe(inferred.parameters()), MAX_LAYER_PARAMETERS, fix));
    }

    /** The attribute that sets a weighted layer's size, {@code units} or {@code filters}; null for others. */
    static String sizeAttribute(Layer layer) {
        if (layer instanceof Layer.Dense || layer instanceof Layer.Lstm) {
            return "units";
        }
        if (layer instanceof Layer.Conv2D || layer instanceof Layer.Conv1D) {
            return "filters";
        }
        return null;
    }

    /** Where an error about a layer's parameters goes: on its size attribute, or on the annotation. */
    static SourceRef at(Layer layer) {
        String attribute = sizeAttribute(layer);
        return attribute == null ? layer.source() : layer.source().attribute(attribute, "value");
    }

    /** The layer's parameter count as a function of its size attribute, on its input; null for a layer without one. */
    private static LongUnaryOperator parametersBySize(InferredLayer inferred) {
        Dims in = inferred.input();
        Layer layer = inferred.layer();
        if (layer instanceof Layer.Dense) {
            return units -> Parameters.dense(in.get(0), units);
        }
        if (layer instanceof Layer.Lstm) {
            return units -> Parameters.lstm(in.features(), units);
        }
        if (layer instanceof Layer.Conv2D c) {
            return filters -> Parameters.conv2D(c.kernel(), in.channels(), filters);
        }
        if (layer instanceof Layer.Conv1D c) {
            return filters -> Parameters.conv1D(c.kernel(), in.features(), filters);
        }
        return null;
    }
}
