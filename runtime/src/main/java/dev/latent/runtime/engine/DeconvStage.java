package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.buffer;
import static dev.latent.runtime.engine.StageSupport.op;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A 2-D transposed convolution, NCHW, with DL4J's {@code [in, out, kH, kW]} kernel. A
 * {@code SAME} one is a {@code VALID} one cropped to {@code n * s}: of the {@code k - s} values
 * too many, half (rounded down) from the start and the rest from the end, as libnd4j's
 * {@code SAME} deconvolution and Keras do (for a 3x3 kernel of stride 2, the last row and
 * column). Through libnd4j its gradient is the cropped gradient padded back with zeros, since
 * libnd4j hands oneDNN only {@code VALID} ones; oneDNN takes the crop as the padding of the
 * convolution it transposes.
 */
final class DeconvStage extends ConvolutionalStage {
    private static final int KERNEL_IN_OUT_H_W = 1;
    private final int[] kernel;
    private final int[] stride;
    private final boolean same;
    private final int[] arguments;
    private INDArray input;
    private INDArray valid;
    private INDArray validGradient;
    private INDArray validCrop;
    private INDArray cropped;
    private INDArray croppedGradient;
    private INDArray inputGradient;

    DeconvStage(LayerParams params, int[] kernel, int[] stride, boolean same, IActivation activation, boolean oneDnn) {
        super(params, activation, oneDnn);
        this.kernel = kernel;
        this.stride = stride;
        this.same = same;
        this.arguments = new int[] {kernel[0], kernel[1], stride[0], stride[1], 0, 0, 1, 1, 0, 0, KERNEL_IN_OUT_H_W};
    }

    @Override
    INDArray linear(INDArray in) {
        input = in;
        if (usesOneDnn()) {
            return oneDnnLinear(in);
        }
        long[] validShape = {in.size(0), params.weights().size(1),
                (in.size(2) - 1) * stride[0] + kernel[0], (in.size(3) - 1) * stride[1] + kernel[1]};
        if (valid == null || !java.util.Arrays.equals(valid.shape(), validShape)) {
            valid = buffer(validShape);
            validGradient = buffer(validShape);
            inputGradient = buffer(in.shape());
            if (same) {
                int[][] padding = samePadding();
                INDArrayIndex[] crop = {NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.interval(padding[0][0], padding[0][0] + in.size(2) * stride[0]),
                        NDArrayIndex.interval(padding[0][1], padding[0][1] + in.size(3) * stride[1])};
                cropped = buffer(in.size(0), params.weights().size(1), in.size(2) * stride[0], in.size(3) * stride[1]);
                croppedGradient = validGradient.get(crop);
                validCrop = valid.get(crop);
            }
        }
        Nd4j.exec(op("deconv2d", new INDArray[] {in, params.weights(), bias}, new INDArray[] {valid}, arguments));
        if (!same) {
            return valid;
        }
        // A dense copy, as the activation and the next layer's op want.
        return cropped.assign(validCrop);
    }

    @Override
    ConvolutionKernel oneDnnLayer(long[] in, IActivation activation) {
        long height = same ? in[2] * stride[0] : (in[2] - 1) * stride[0] + kernel[0];
        long width = same ? in[3] * stride[1] : (in[3] - 1) * stride[1] + kernel[1];
        long[] out = {in[0], params.weights().size(1), height, width};
        int[][] padding = samePadding();
        return new OneDnnTransposedConvolution(in, out, params.weights().shape(), stride, padding[0], padding[1],
                activation);
    }

    /**
     * The crop of a {@code SAME} layer, as oneDNN's padding before and after (none for
     * {@code VALID}): {@code k - s} in all, half of it (rounded down) before.
     */
    private int[][] samePadding() {
        int[] before = new int[2];
        int[] after = new int[2];
        if (same) {
            for (int axis = 0; axis < 2; axis++) {
                int total = kernel[axis] - stride[axis];
                before[axis] = total / 2;
                after[axis] = total - total / 2;
            }
        }
        return new int[][] {before, after};
    }

    @Override
    Tensor backwardFromPreActivation(Tensor preActivationGradient, boolean needInputGradient) {
        if (oneDnn != null) {
            return oneDnn.backward(preActivationGradient, true, params.weights(), params.weightGradient(), biasGradient,
                    needInputGradient);
        }
        INDArray gradient = preActivationGradient.plain();
        INDArray outputGradient;
        if (same) {
            // The cropped-off border stays zero: only the crop is ever written.
            croppedGradient.assign(gradient.reshape('c', cropped.shape()));
            outputGradient = validGradient;
        } else {
            outputGradient = gradient.reshape('c', valid.shape());
        }
        Nd4j.exec(op("deconv2d_bp", new INDArray[] {input, params.weights(), bias, outputGradient},
                new INDArray[] {inputGradient, params.weightGradient(), biasGradient}, arguments));
        return needInputGradient ? Tensor.plain(inputGradient) : null;
    }
}
