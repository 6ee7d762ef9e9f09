package dev.latent.runtime.engine;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A convolution or transposed convolution: through oneDNN ({@link OneDnnConvolution}), its
 * activation included and in the layouts oneDNN chooses, where oneDNN computes the activation;
 * else the linear part through oneDNN or libnd4j and the activation on plain values.
 */
abstract class ConvolutionalStage extends WeightedStage {
    final LayerParams params;
    final INDArray bias;
    final INDArray biasGradient;
    ConvolutionKernel oneDnn;
    private long[] inputShape;
    private boolean activationInside;

    ConvolutionalStage(LayerParams params, IActivation activation, boolean oneDnn) {
        super(activation, oneDnn);
        this.params = params;
        this.bias = params.bias().reshape(params.bias().length());
        this.biasGradient = params.biasGradient().reshape(params.biasGradient().length());
    }

    @Override
    public Tensor forward(Tensor in, boolean training) {
        if (usesOneDnn() && activationFuses()) {
            return prepared(in.shape(), true).forward(in, params.weights(), bias);
        }
        return super.forward(in, training);
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        if (oneDnn != null && activationInside) {
            return oneDnn.backward(outputGradient, false, params.weights(), params.weightGradient(), biasGradient,
                    needInputGradient);
        }
        return super.backward(outputGradient, needInputGradient);
    }

    /** The linear part through oneDNN, on plain values. */
    INDArray oneDnnLinear(INDArray in) {
        return prepared(in.shape(), false).forward(Tensor.plain(in), params.weights(), bias).plain();
    }

    /** oneDNN's layer for inputs of {@code in}, with the activation inside it or not; made on first use. */
    private ConvolutionKernel prepared(long[] in, boolean withActivation) {
        if (oneDnn == null || !java.util.Arrays.equals(inputShape, in) || activationInside != withActivation) {
            oneDnn = oneDnnLayer(in, withActivation ? activation().function() : null);
            inputShape = in.clone();
            activationInside = withActivation;
        }
        return oneDnn;
    }

    /** A new oneDNN layer for inputs of {@code in}, computing {@code activation} (null: none). */
    abstract ConvolutionKernel oneDnnLayer(long[] in, IActivation activation);
}
