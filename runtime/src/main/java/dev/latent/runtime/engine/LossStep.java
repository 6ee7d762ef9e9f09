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
        if (loss instanceof LossMSE && output.length() <= Integer.MAX_VALUE) {
            return squaredError(output, labels, gradient, n, throughSigmoid);
        }
        double score = loss.computeScore(labels, output, new ActivationIdentity(), null, true);
        // DL4J's loss gradients are per sample; its updater then divides by the batch size, as this does.
        gradient.assign(loss.computeGradient(labels, output, new ActivationIdentity(), null)).divi(n);
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
        double sum = 0;
        float[] p = prediction;
        float[] t = target;
        for (int i = 0; i < length; i++) {
            float difference = p[i] - t[i];
            sum += difference * difference;
            float g = scale * difference;
            p[i] = throughSigmoid ? g * p[i] * (1 - p[i]) : g;
        }
        write(prediction, gradient);
        return sum / features / n;
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
