package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.buffer;
import static dev.latent.runtime.engine.StageSupport.op;
import static dev.latent.runtime.engine.StageSupport.windowedShape;
import static dev.latent.runtime.engine.StageSupport.padding;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A 2-D convolution, NCHW, with DL4J's {@code [out, in, kH, kW]} kernel read as it is. */
final class ConvStage extends ConvolutionalStage {
    private static final int KERNEL_OUT_IN_H_W = 1;
    private final int[] arguments;
    private INDArray input;
    private INDArray preActivation;
    private INDArray inputGradient;

    ConvStage(LayerParams params, int[] kernel, int[] stride, int[] padding, boolean same, IActivation activation,
            boolean oneDnn) {
        super(params, activation, oneDnn);
        this.arguments = new int[] {kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], 1, 1,
                same ? 1 : 0, 0, KERNEL_OUT_IN_H_W};
    }

    @Override
    INDArray linear(INDArray in) {
        input = in;
        if (usesOneDnn()) {
            return oneDnnLinear(in);
        }
        long[] out = windowedShape(in.shape(), params.weights().size(0), arguments);
        if (preActivation == null || !java.util.Arrays.equals(preActivation.shape(), out)) {
            preActivation = buffer(out);
            inputGradient = buffer(in.shape());
        }
        Nd4j.exec(op("conv2d", new INDArray[] {in, params.weights(), bias}, new INDArray[] {preActivation}, arguments));
        return preActivation;
    }

    @Override
    ConvolutionKernel oneDnnLayer(long[] in, IActivation activation) {
        long[] out = windowedShape(in, params.weights().size(0), arguments);
        int[][] padding = padding(in, out, arguments);
        return new OneDnnConvolution(false, in, out, params.weights().shape(), new int[] {arguments[2], arguments[3]},
                padding[0], padding[1], activation);
    }

    @Override
    Tensor backwardFromPreActivation(Tensor gradient, boolean needInputGradient) {
        if (oneDnn != null) {
            return oneDnn.backward(gradient, true, params.weights(), params.weightGradient(), biasGradient,
                    needInputGradient);
        }
        INDArray delta = gradient.plain().reshape('c', preActivation.shape());
        Nd4j.exec(op("conv2d_bp", new INDArray[] {input, params.weights(), bias, delta},
                new INDArray[] {inputGradient, params.weightGradient(), biasGradient}, arguments));
        return needInputGradient ? Tensor.plain(inputGradient) : null;
    }
}
