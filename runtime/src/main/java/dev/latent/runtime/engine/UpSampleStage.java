package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.buffer;
import static dev.latent.runtime.engine.StageSupport.op;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Nearest-neighbour upsampling by whole factors, NCHW, through libnd4j's ops on plain values
 * (a convolution after it takes them back into oneDNN's layout); its gradient sums each
 * block's gradients. The inference chain has no such layer, so inference keeps to the stages.
 */
final class UpSampleStage implements Stage {
    private static final int NCHW = 1;
    private final int height;
    private final int width;
    private INDArray input;
    private INDArray output;
    private INDArray inputGradient;

    UpSampleStage(int height, int width) {
        this.height = height;
        this.width = width;
    }

    @Override
    public OneDnnInference.Layer inferenceLayer(long[] inputShape) {
        return null;
    }

    @Override
    public Tensor forward(Tensor in, boolean training) {
        input = in.plain();
        long[] out = {input.size(0), input.size(1), input.size(2) * height, input.size(3) * width};
        if (output == null || !java.util.Arrays.equals(output.shape(), out)) {
            output = buffer(out);
            inputGradient = buffer(input.shape());
        }
        Nd4j.exec(op("upsampling2d", new INDArray[] {input}, new INDArray[] {output}, height, width, NCHW));
        return Tensor.plain(output);
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        Nd4j.exec(op("upsampling2d_bp", new INDArray[] {input, outputGradient.plain().reshape('c', output.shape())},
                new INDArray[] {inputGradient}, NCHW));
        return Tensor.plain(inputGradient);
    }
}
