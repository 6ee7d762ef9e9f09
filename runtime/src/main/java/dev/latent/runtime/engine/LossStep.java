package dev.latent.runtime.engine;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The loss of a flattened reconstruction and its gradient, divided by the batch size as DL4J's
 * updater would. Mean squared error is one heap loop the JIT vectorises, fused with a sigmoid
 * output's derivative where the executor asks (DL4J's loss and sigmoid derivative take eight
 * array operations); any other loss, a user's own included, runs its own ND4J code.
 */
final class LossStep {
    private final ILossFunction loss;
    private float[] prediction = new float[0];
    private float[] target = new float[0];

    LossStep(ILossFunction loss) {
        this.loss = loss;
    }

    /** Whether this loss can hand back the gradient at a sigmoid output's pre-activation. */
    boolean fusesSigmoid() {
        return loss instanceof LossMSE;
    }

    /**
     * The batch's mean loss, with its gradient written into {@code gradient}: at the output, or at
     * a sigmoid output's pre-activation when {@code throughSigmoid} (only if {@link #fusesSigmoid}).
     */
    double compute(INDArray output, INDArray labels, INDArray gradient, boolean throughSigmoid) {
        long n = output.size(0);
        if (labels.length() != output.length()) {
            throw new IllegalArgumentException("the target has " + labels.length() + " values, the reconstruction "
                    + output.length() + ": give targets of the input's shape");
        }
        if (loss instanceof LossMSE && output.length() <= Integer.MAX_VALUE) {
            return squaredError(output, labels, gradient, n, throughSigmoid);
        }
        INDArray flatLabels = StageSupport.reshaped(labels, output.shape());
        double score = loss.computeScore(flatLabels, output, new ActivationIdentity(), null, true);
        // DL4J's loss gradients are per sample; its updater then divides by the batch size, as this does.
        gradient.assign(loss.computeGradient(flatLabels, output, new ActivationIdentity(), null)).divi(n);
        return score;
    }

    private double squaredError(INDArray output, INDArray labels, INDArray gradient, long n, boolean throughSigmoid) {
        int length = (int) output.length();
        if (prediction.length != length) {
            prediction = new float[length];
            target = new float[length];
        }
        read(output, prediction);
        read(labels, target);
        double features = (double) length / n;
        float scale = (float) (2.0 / features / n);
        float[] p = prediction;
        float[] t = target;
        double sum = sumOfSquaredDifferences(p, t, length);
        // Apart from the sum, whose double additions kept the JIT from vectorising the loop.
        for (int i = 0; i < length; i++) {
            float g = scale * (p[i] - t[i]);
            p[i] = throughSigmoid ? g * p[i] * (1 - p[i]) : g;
        }
        write(prediction, gradient);
        return sum / features / n;
    }

    /** In four partial sums, which the processor adds side by side rather than one after another. */
    private static double sumOfSquaredDifferences(float[] p, float[] t, int length) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            float d0 = p[i] - t[i];
            float d1 = p[i + 1] - t[i + 1];
            float d2 = p[i + 2] - t[i + 2];
            float d3 = p[i + 3] - t[i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < length; i++) {
            float d = p[i] - t[i];
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void read(INDArray array, float[] into) {
        requireDense(array);
        ((FloatPointer) array.data().addressPointer()).get(into, 0, into.length);
    }

    private static void write(float[] from, INDArray array) {
        requireDense(array);
        ((FloatPointer) array.data().addressPointer()).put(from, 0, from.length);
    }

    private static void requireDense(INDArray array) {
        if (array.dataType() != DataType.FLOAT || array.elementWiseStride() != 1 || array.ordering() != 'c') {
            throw new IllegalArgumentException("expected a row-major float array, found " + array.shapeInfoToString());
        }
    }
}
