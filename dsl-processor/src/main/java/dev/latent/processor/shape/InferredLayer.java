package dev.latent.processor.shape;

import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;

/**
 * A layer with the shapes around it.
 *
 * @param input the shape it receives
 * @param output the shape it produces
 * @param parameters its parameter count, as Keras and DL4J count them
 * @param fanIn inputs per output unit (for Glorot initialisation), 0 for layers without weights
 * @param fanOut outputs per input unit, 0 for layers without weights
 */
public record InferredLayer(Layer layer, Dims input, Dims output, long parameters, long fanIn, long fanOut)
        implements ShapeStep {}
