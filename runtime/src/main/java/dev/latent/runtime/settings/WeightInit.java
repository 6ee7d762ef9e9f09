package dev.latent.runtime.settings;

import org.deeplearning4j.nn.weights.IWeightInit;

/**
 * How a run initialises the weights. {@link #DECLARED} keeps what the generated network declares
 * (Keras' {@code glorot_uniform}, with the fans computed as Keras does); the others replace it in
 * every weighted layer with DL4J's scheme of that name. Biases start at 0 either way.
 */
public enum WeightInit {
    /** The generated network's own: Keras' {@code glorot_uniform}. */
    DECLARED(null),
    /** Glorot (Xavier) normal: N(0, 2 / (fanIn + fanOut)); DL4J's {@code XAVIER}. */
    GLOROT_NORMAL(org.deeplearning4j.nn.weights.WeightInit.XAVIER),
    /** He normal: N(0, 2 / fanIn), for ReLU layers; DL4J's {@code RELU}. */
    HE_NORMAL(org.deeplearning4j.nn.weights.WeightInit.RELU),
    /** He uniform: U(±sqrt(6 / fanIn)); DL4J's {@code RELU_UNIFORM}. */
    HE_UNIFORM(org.deeplearning4j.nn.weights.WeightInit.RELU_UNIFORM),
    /** LeCun normal: N(0, 1 / fanIn), for SELU-like layers; DL4J's {@code LECUN_NORMAL}. */
    LECUN_NORMAL(org.deeplearning4j.nn.weights.WeightInit.LECUN_NORMAL);

    private final org.deeplearning4j.nn.weights.WeightInit dl4j;

    WeightInit(org.deeplearning4j.nn.weights.WeightInit dl4j) {
        this.dl4j = dl4j;
    }

    /** DL4J's function for this scheme; null for {@link #DECLARED}. */
    public IWeightInit toDl4j() {
        return dl4j == null ? null : dl4j.getWeightInitFunction();
    }
}
