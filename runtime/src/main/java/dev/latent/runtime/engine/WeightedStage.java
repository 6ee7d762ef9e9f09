package dev.latent.runtime.engine;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A stage with parameters and an activation. */
abstract class WeightedStage implements Stage {
    private final ActivationStep activation;

    private final boolean oneDnn;

    WeightedStage(IActivation function, boolean oneDnn) {
        this.oneDnn = oneDnn;
        this.activation = new ActivationStep(function);
    }

    ActivationStep activation() {
        return activation;
    }

    /** Whether oneDNN computes this layer's activation and its derivative. */
    /** Whether the plan gave this layer to oneDNN. */
    boolean usesOneDnn() {
        return oneDnn;
    }

    boolean activationFuses() {
        return OneDnn.computes(activation.function());
    }

    /** The layer's output: its linear part, then its activation, on plain values. */
    @Override
    public Tensor forward(Tensor input, boolean training) {
        return Tensor.plain(activation.forward(linear(input.plain())));
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        return backwardFromPreActivation(Tensor.plain(activation.backward(outputGradient.plain())), needInputGradient);
    }

    /** The layer's output before its activation, into an array it keeps. */
    abstract INDArray linear(INDArray input);

    /** Parameter gradients into the graph's arrays, and the input gradient if needed (else null). */
    abstract Tensor backwardFromPreActivation(Tensor preActivationGradient, boolean needInputGradient);
}
