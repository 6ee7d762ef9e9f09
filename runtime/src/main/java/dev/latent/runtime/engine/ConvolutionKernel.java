package dev.latent.runtime.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch size's convolution or transposed convolution with its activation on oneDNN, on
 * {@link Tensor}s in the layouts its primitives choose: {@link OneDnnConvolution} or
 * {@link OneDnnTransposedConvolution}.
 */
interface ConvolutionKernel {

    /**
     * The layer's output, activation applied, for {@code input} and DL4J's {@code weights} and
     * {@code bias} views; in the layout of oneDNN's choosing, valid until the next call.
     */
    Tensor forward(Tensor input, INDArray weights, INDArray bias);

    /**
     * From the gradient at the output (after the activation; before it when
     * {@code atPreActivation}): the weight and bias gradients into DL4J's views, and the input
     * gradient, returned, if {@code needInputGradient} (else null).
     */
    Tensor backward(Tensor outputGradient, boolean atPreActivation, INDArray weights, INDArray weightGradient,
            INDArray biasGradient, boolean needInputGradient);
}
