package dev.latent.runtime.engine;

import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A reshape of each sample to a sequence {@code [F, T]} (DL4J's recurrent layout) that tells
 * DL4J the sequence's length. DL4J's own {@link ReshapeVertex} reports a recurrent output of
 * unknown length, so the layers after it (and DL4J's shape checks) would not know T; this is
 * the same vertex with {@code InputType.recurrent(F, T)} as its output type. Saved and loaded
 * with the configuration like any vertex.
 */
public final class SequenceReshapeVertex extends ReshapeVertex {

    /** A reshape of each sample to {@code features x steps}. */
    public SequenceReshapeVertex(int features, int steps) {
        this('c', new int[] {-1, features, steps}, null);
    }

    /** For DL4J's JSON reader; the shape is {@code {-1, F, T}}. */
    public SequenceReshapeVertex(@JsonProperty("reshapeOrder") char reshapeOrder, @JsonProperty("newShape") int[] newShape,
            @JsonProperty("maskShape") int[] maskShape) {
        super(reshapeOrder, newShape, maskShape);
        if (newShape.length != 3) {
            throw new IllegalArgumentException("a sequence reshape needs {-1, F, T}, found rank " + newShape.length);
        }
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        return InputType.recurrent(getNewShape()[1], getNewShape()[2]);
    }

    @Override
    public SequenceReshapeVertex clone() {
        return new SequenceReshapeVertex(getReshapeOrder(), getNewShape().clone(),
                getMaskShape() == null ? null : getMaskShape().clone());
    }
}
