package dev.latent.processor.shape;

import dev.latent.processor.model.Counts;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Section;
import java.util.List;

/**
 * Every layer's shapes, encoder first. Complete only when inference got through every layer;
 * otherwise it stops at the first layer it could not infer, and {@code failure} says why.
 *
 * @param failure why inference stopped, or null when it got through every layer
 */
public record InferredModel(Dims input, List<InferredLayer> layers, ShapeError failure) {

    /** Whether every layer's shapes are known. */
    public boolean complete() {
        return failure == null;
    }

    /** The shape of the latent code: the last encoder layer's output. */
    public Dims code() {
        return layers.stream().filter(l -> l.layer().section() == Section.ENCODER)
                .reduce((a, b) -> b).map(InferredLayer::output).orElse(input);
    }

    /** The reconstruction's shape: the last layer's output. */
    public Dims output() {
        return layers.isEmpty() ? input : layers.get(layers.size() - 1).output();
    }

    /** Every layer's parameters; {@code Long.MAX_VALUE} when the sum would pass it (see {@link Counts}). */
    public long parameterCount() {
        return layers.stream().mapToLong(InferredLayer::parameters).reduce(0, Counts::plus);
    }

    /** The layers of one half. */
    public List<InferredLayer> layers(Section section) {
        return layers.stream().filter(l -> l.layer().section() == section).toList();
    }
}
