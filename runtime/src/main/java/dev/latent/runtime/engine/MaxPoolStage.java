package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.buffer;
import static dev.latent.runtime.engine.StageSupport.op;
import static dev.latent.runtime.engine.StageSupport.windowedShape;
import static dev.latent.runtime.engine.StageSupport.padding;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Max pooling, NCHW: through oneDNN in the layout the previous layer left, else libnd4j's op. */
final class MaxPoolStage implements Stage {
    private final int[] arguments;
    private INDArray input;
    private INDArray output;
    private INDArray inputGradient;
    private OneDnnPooling oneDnn;
    private long[] inputShape;

    private final boolean useOneDnn;

    MaxPoolStage(int[] kernel, int[] stride, int[] padding, boolean same, boolean useOneDnn) {
        this.useOneDnn = useOneDnn;
        // The tenth argument is unused by max pooling; the last says NCHW.
        this.arguments = new int[] {kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], 1, 1,
                same ? 1 : 0, 0, 0};
    }

    @Override
    public Tensor forward(Tensor in, boolean training) {
        if (useOneDnn) {
            if (oneDnn == null || !java.util.Arrays.equals(inputShape, in.shape())) {
                long[] out = windowedShape(in.shape(), in.shape()[1], arguments);
                int[][] padding = padding(in.shape(), out, arguments);
                oneDnn = new OneDnnPooling(in.shape(), out, new int[] {arguments[0], arguments[1]},
                        new int[] {arguments[2], arguments[3]}, padding[0], padding[1]);
                inputShape = in.shape().clone();
            }
            return oneDnn.forward(in);
        }
        input = in.plain();
        long[] out = windowedShape(input.shape(), input.size(1), arguments);
        if (output == null || !java.util.Arrays.equals(output.shape(), out)) {
            output = buffer(out);
            inputGradient = buffer(input.shape());
        }
        Nd4j.exec(op("maxpool2d", new INDArray[] {input}, new INDArray[] {output}, arguments));
        return Tensor.plain(output);
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        if (oneDnn != null) {
            return oneDnn.backward(outputGradient);
        }
        Nd4j.exec(op("maxpool2d_bp", new INDArray[] {input, outputGradient.plain().reshape('c', output.shape())},
                new INDArray[] {inputGradient}, arguments));
        return Tensor.plain(inputGradient);
    }
}
