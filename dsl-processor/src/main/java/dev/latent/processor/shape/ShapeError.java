package dev.latent.processor.shape;

import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import java.util.List;

/**
 * Why shape inference stopped at a layer: a value, which one rule in {@code rules} turns into its
 * message. {@code from} names what produced the layer's input: {@code the input} or
 * {@code code (Dense)}.
 */
public sealed interface ShapeError extends ShapeStep {

    /** The layer whose shape could not be inferred. */
    Layer layer();

    /** A dense layer on an image or a sequence. */
    record NotAVector(Layer layer, Dims input, String from) implements ShapeError {}

    /** A 2-D layer on a vector or a sequence. */
    record NotAnImage(Layer layer, Dims input, String from) implements ShapeError {}

    /** A 1-D layer or an LSTM on a vector or an image. */
    record NotASequence(Layer layer, Dims input, String from) implements ShapeError {}

    /** {@code @Flatten} on a vector. */
    record AlreadyFlat(Layer layer, Dims input, String from) implements ShapeError {}

    /** A kernel or pool window ({@code window}: {@code kernel} or {@code pool size}) larger than its image. */
    record WindowOverImage(Layer layer, String window, int size, Dims input, String from) implements ShapeError {}

    /** A VALID kernel or pool window longer than its sequence. */
    record WindowOverSequence(Layer layer, String window, int size, Dims input, String from) implements ShapeError {}

    /** A transposed convolution with padding VALID and a kernel smaller than its strides. */
    record KernelBelowStrides(Layer.Conv2D layer) implements ShapeError {}

    /** A reshape to a different number of values than its input holds. */
    record ReshapeMismatch(Layer.Reshape layer, Dims input, String from) implements ShapeError {}

    /**
     * An output of more values per sample than {@link ShapeInference#MAX_VALUES_PER_SAMPLE}.
     *
     * @param attribute the attribute that makes it so large: {@code filters}, {@code units},
     *     {@code size}, or a transposed convolution's {@code strides} or {@code kernel}
     * @param shape the output's sizes, which may pass an int
     * @param count the values per sample, saturated at {@code Long.MAX_VALUE}
     * @param largest the largest value of {@code attribute} that fits, below 1 when none does
     */
    record OutputTooLarge(Layer layer, Dims input, String attribute, List<Long> shape, long count, int largest)
            implements ShapeError {}
}
