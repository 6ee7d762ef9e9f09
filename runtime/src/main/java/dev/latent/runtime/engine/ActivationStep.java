package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.buffer;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An activation and its derivative. ReLU and identity work in place, since ReLU's derivative
 * reads as well from its output as from its input; others keep the pre-activation.
 */
final class ActivationStep {
    private final IActivation function;
    private final boolean inPlace;
    private INDArray preActivation;
    private INDArray output;

    ActivationStep(IActivation function) {
        this.function = function;
        this.inPlace = function instanceof ActivationIdentity || function instanceof ActivationReLU relu
                && relu.getMax() == null && (relu.getThreshold() == null || relu.getThreshold() == 0)
                && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0);
    }

    IActivation function() {
        return function;
    }

    INDArray forward(INDArray z) {
        preActivation = z;
        if (inPlace) {
            output = function.getActivation(z, true);
            return output;
        }
        if (output == null || !java.util.Arrays.equals(output.shape(), z.shape())) {
            output = buffer(z.shape());
        }
        output.assign(z);
        return function.getActivation(output, true);
    }

    /** The gradient at the pre-activation, from the gradient at the output. */
    INDArray backward(INDArray outputGradient) {
        INDArray gradient = outputGradient.reshape('c', preActivation.shape());
        if (function instanceof ActivationIdentity) {
            return gradient;
        }
        if (inPlace) {
            // max(0, z) > 0 exactly where z > 0; the output is not read again, so it takes the result.
            Nd4j.exec(new RectifiedLinearDerivative(output, gradient, output));
            return output;
        }
        return function.backprop(preActivation, gradient).getFirst();
    }
}
