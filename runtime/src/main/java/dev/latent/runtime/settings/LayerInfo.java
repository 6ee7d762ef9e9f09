package dev.latent.runtime.settings;

/**
 * One row of a model's summary.
 *
 * @param name the layer's name in the network: {@code encoder.conv1}, from the method {@code conv1}
 * @param kind the annotation, as Keras names the layer: {@code Conv2D}
 * @param outputShape the shape of one sample after this layer, in Keras order
 * @param parameters the number of parameters of this layer, learned or not (Keras' count)
 */
public record LayerInfo(String name, String kind, Shape outputShape, long parameters) {}
