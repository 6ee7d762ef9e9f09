package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Counts;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredLayer;
import dev.latent.processor.shape.InferredModel;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code latent:model-parameters}: the whole network's parameters must fit in one array. A model whose layers each fit but not
 * together gets one error, on the layer with the most parameters, where cutting helps most.
 * Layers past {@link LayerParameters} are that rule's errors; this one then stays quiet.
 */
final class ModelParameters implements ShapeRule {
    /**
     * The most parameters a model may hold. DL4J keeps every parameter of a network in one
     * flattened array, and its gradient and updater state in arrays of the same length; Latent's
     * engine copies the gradient into a Java {@code float[]} (its Adam updater), which holds at
     * most {@code Integer.MAX_VALUE} values.
     */
    static final long MAX_MODEL_PARAMETERS = Integer.MAX_VALUE;

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        List<Diagnostic> report = new ArrayList<>();
        boolean eachFits = shapes.layers().stream().allMatch(l -> l.parameters() <= LayerParameters.MAX_LAYER_PARAMETERS);
        long total = shapes.parameterCount();
        if (!eachFits || total <= MAX_MODEL_PARAMETERS) {
            return report;
        }
        // The first of the largest, so that a tie always lands on the same layer.
        InferredLayer largest = shapes.layers().get(0);
        for (InferredLayer layer : shapes.layers()) {
            if (layer.parameters() > largest.parameters()) {
                largest = layer;
            }
        }
        String attribute = LayerParameters.sizeAttribute(largest.layer());
        report.add(Diagnostic.of(Message.MODEL_PARAMETERS, LayerParameters.at(largest.layer()), model.where(largest.layer()),
                Counts.describe(total), MAX_MODEL_PARAMETERS, largest.parameters(),
                attribute == null ? "units or filters" : attribute));
        return report;
    }
}
