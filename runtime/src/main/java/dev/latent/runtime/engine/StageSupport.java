package dev.latent.runtime.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Shapes, windows and arrays the stages share. */
final class StageSupport {
    private StageSupport() {}

    static long[] withBatch(long n, long[] sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = n;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return shape;
    }

    /**
     * The NCHW output shape of a convolution or pooling window over {@code in}, from libnd4j's
     * integer arguments (kernel, stride, padding, dilation 1, then whether SAME).
     */
    static long[] windowedShape(long[] in, long channels, int[] arguments) {
        long h;
        long w;
        if (arguments[8] == 1) {
            h = (in[2] + arguments[2] - 1) / arguments[2];
            w = (in[3] + arguments[3] - 1) / arguments[3];
        } else {
            h = (in[2] + 2L * arguments[4] - arguments[0]) / arguments[2] + 1;
            w = (in[3] + 2L * arguments[5] - arguments[1]) / arguments[3] + 1;
        }
        return new long[] {in[0], channels, h, w};
    }

    /**
     * The top-left and bottom-right padding of a window of libnd4j's integer arguments from
     * {@code in} to {@code out}: for {@code SAME}, DL4J's and Keras', the odd one at the bottom or
     * right; else the given padding before and whatever the output needs after.
     */
    static int[][] padding(long[] in, long[] out, int[] arguments) {
        int[] before = new int[2];
        int[] after = new int[2];
        for (int axis = 0; axis < 2; axis++) {
            int kernel = arguments[axis];
            int stride = arguments[2 + axis];
            if (arguments[8] == 1) {
                long total = Math.max(0, (out[2 + axis] - 1) * stride + kernel - in[2 + axis]);
                before[axis] = (int) (total / 2);
                after[axis] = (int) (total - total / 2);
            } else {
                before[axis] = arguments[4 + axis];
                after[axis] = (int) ((out[2 + axis] - 1) * stride + kernel - in[2 + axis] - before[axis]);
            }
        }
        return new int[][] {before, after};
    }

    /**
     * {@code array} read row-major as {@code shape}: the array itself when it has that shape. Each
     * of ND4J's reshapes makes a new view, 10 to 20 us, and a dense step took a dozen.
     */
    static INDArray reshaped(INDArray array, long[] shape) {
        return array.ordering() == 'c' && Arrays.equals(array.shape(), shape) ? array : array.reshape('c', shape);
    }

    /**
     * The last array reshaped and its view: stages are handed the same arrays step after step, so
     * the view is made once instead of each step.
     */
    static final class LastView {
        private INDArray source;
        private INDArray view;

        INDArray of(INDArray array, long[] shape) {
            if (array != source || !Arrays.equals(view.shape(), shape)) {
                source = array;
                view = reshaped(array, shape);
            }
            return view;
        }
    }

    static INDArray buffer(long... shape) {
        return Nd4j.create(DataType.FLOAT, shape, 'c');
    }

    static DynamicCustomOp op(String name, INDArray[] inputs, INDArray[] outputs, int... integerArguments) {
        return DynamicCustomOp.builder(name).addInputs(inputs).addOutputs(outputs).addIntegerArguments(integerArguments).build();
    }
}
