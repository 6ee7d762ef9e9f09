package dev.latent.runtime.engine;

/** One layer's forward and backward pass; tensors it returns stay valid until its next call. */
interface Stage {
    /**
     * This stage's output for {@code input}: in training mode (dropout drops, batch normalisation
     * uses the batch's statistics) or in inference mode.
     */
    Tensor forward(Tensor input, boolean training);

    /** The gradient at this stage's input, from the gradient at its output; null if not needed. */
    Tensor backward(Tensor outputGradient, boolean needInputGradient);
}
