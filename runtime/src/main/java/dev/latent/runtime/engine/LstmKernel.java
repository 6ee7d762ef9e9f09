package dev.latent.runtime.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One backend's LSTM for one batch size and sequence length, on plain row-major arrays. */
interface LstmKernel {
    /**
     * The hidden states for {@code input} [n, F, T]: [n, units, T] when the layer returns
     * sequences, else the last step's [n, units]; kept for the backward pass.
     */
    INDArray forward(INDArray input);

    /**
     * Writes the parameter gradients into the graph's views from the gradient at the output (the
     * forward output's shape); returns the gradient at the input [n, F, T], or null if not needed.
     */
    INDArray backward(INDArray outputGradient, boolean needInputGradient);
}
