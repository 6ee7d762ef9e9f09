package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.buffer;
import static dev.latent.runtime.engine.StageSupport.op;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Nearest-neighbour upsampling by whole factors, NCHW: through oneDNN's resampling in the layout
 * the previous layer left ({@link OneDnnResampling}), or libnd4j's ops on plain values; its
 * gradient sums each block's gradients.
 */
final class UpSampleStage implements Stage {
    private static final int NCHW = 1;
    private final int height;
    private final int width;
    private final boolean useOneDnn;
    private OneDnnResampling oneDnn;
    private long[] inputShape;
    private INDArray input;
    private INDArray output;
    private INDArray inputGradient;

    UpSampleStage(int height, int width, boolean useOneDnn) {
        this.height = height;
        this.width = width;
        this.useOneDnn = useOneDnn;
    }

    @Override
    public Tensor forward(Tensor in, boolean training) {
        if (useOneDnn) {
            if (oneDnn == null || !java.util.Arrays.equals(inputShape, in.shape())) {
                oneDnn = new OneDnnResampling(in.shape(), height, width);
                inputShape = in.shape().clone();
            }
            return oneDnn.forward(in);
        }
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
        if (useOneDnn) {
            return oneDnn.backward(outputGradient);
        }
        Nd4j.exec(op("upsampling2d_bp", new INDArray[] {input, outputGradient.plain().reshape('c', output.shape())},
                new INDArray[] {inputGradient}, NCHW));
        return Tensor.plain(inputGradient);
    }
}
