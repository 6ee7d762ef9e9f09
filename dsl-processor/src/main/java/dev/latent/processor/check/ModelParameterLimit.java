package dev.latent.processor.check;

import dev.latent.processor.model.Counts;
import dev.latent.processor.model.ModelSpec;

/**
 * The whole network's parameters must fit in one array. A model whose layers each fit but not
 * together gets one error, on the layer with the most parameters, where cutting helps most.
 * Layers past {@link LayerParameterLimit} are that rule's errors; this one then stays quiet.
 */
public final class ModelParameterLimit implements Check {
    /**
     * The most parameters a model may hold. DL4J keeps every parameter of a network in one
     * flattened array, and its gradient and updater state in arrays of the same length; Latent's
     * engine copies the gradient into a Java {@code float[]} (its Adam updater), which holds at
     * most {@code Integer.MAX_VALUE} values.
     */
    static final long MAX_MODEL_PARAMETERS = Integer.MAX_VALUE;

    @Override
    public void check(ModelSpec model, InferredModel shapes, Report report) {
        boolean eachFits = shapes.layers().stream().allMatch(l -> l.parameters() <= LayerParameterLimit.MAX_LAYER_PARAMETERS);
        long total = shapes.parameterCount();
        if (!eachFits || total <= MAX_MODEL_PARAMETERS) {
            return;
        }
        // The first of the largest, so that a tie always lands on the same layer.
        InferredLayer largest = shapes.layers().get(0);
        for (InferredLayer layer : shapes.layers()) {
            if (layer.parameters() > largest.parameters()) {
                largest = layer;
            }
        }
        String attribute = LayerParameterLimit.sizeAttribute(largest.layer());
        report.add(Message.MODEL_PARAMETERS, LayerParameterLimit.at(largest.layer()), model.where(largest.layer()),
                Counts.describe(total), MAX_MODEL_PARAMETERS, largest.parameters(),
                attribute == null ? "units or filters" : attribute);
    }
}
