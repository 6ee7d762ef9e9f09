package dev.latent.processor.shape;

import dev.latent.processor.model.Counts;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Every layer's output must fit in one array per sample. Shape inference asks this for each shape
 * a layer makes larger than its input, before the shape exists: its sizes are computed in
 * {@code long} without wrapping, and a layer past the limit is an {@link ShapeError.OutputTooLarge}
 * naming the attribute that makes it so large, with the largest value that fits.
 */
final class OutputFit {
    private OutputFit() {}

    /**
     * The layer {@code inferred} makes of the shape {@code shapeOf(value)}, the shape {@code layer}
     * makes of {@code input} with its attribute {@code attribute} set to {@code value}, when it
     * fits; otherwise the error. {@code shapeOf} must grow with the attribute.
     */
    static ShapeStep fit(Layer layer, Dims input, String attribute, int value, LongFunction<long[]> shapeOf,
            Function<Dims, InferredLayer> inferred) {
        long[] shape = shapeOf.apply(value);
        long count = Counts.product(shape);
        if (count <= ShapeInference.MAX_VALUES_PER_SAMPLE) {
            return inferred.apply(Dims.of(Arrays.stream(shape).mapToInt(Math::toIntExact).toArray()));
        }
        int largest = Counts.largest(v -> Counts.product(shapeOf.apply(v)), ShapeInference.MAX_VALUES_PER_SAMPLE);
        return new ShapeError.OutputTooLarge(layer, input, attribute, Arrays.stream(shape).boxed().toList(), count,
                largest);
    }
}
