package dev.latent.runtime.model.onnx;

import java.util.List;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * DL4J's activations as ONNX operators: every one the DSL offers (and DL4J's hard sigmoid), with
 * DL4J's own constants (the leaky ReLU's slope, the ELU's alpha). Anything else is refused with
 * the layer's name.
 */
final class OnnxActivations {
    private OnnxActivations() {}

    /** An activation as ONNX names it, with its alpha and beta where it takes them (else null). */
    record Function(String operator, Float alpha, Float beta) {
        boolean identity() {
            return operator.equals("Identity");
        }
    }

    /**
     * Applies {@code activation} of layer {@code layer} to the tensor {@code pre}, writing the
     * tensor {@code out}; an identity writes an {@code Identity} node, so every layer's output
     * keeps its name.
     */
    static String apply(OnnxGraph graph, String layer, IActivation activation, String pre, String out) {
        Function f = of(layer, activation);
        if (f.identity()) {
            return graph.node("Identity", out, List.of(pre));
        }
        if (f.alpha() == null) {
            return graph.node(f.operator(), out, List.of(pre));
        }
        if (f.beta() == null) {
            return graph.node(f.operator(), out, List.of(pre), OnnxGraph.real("alpha", f.alpha()));
        }
        return graph.node(f.operator(), out, List.of(pre), OnnxGraph.real("alpha", f.alpha()),
                OnnxGraph.real("beta", f.beta()));
    }

    /** The ONNX form of {@code activation}, or a refusal naming {@code layer}. */
    static Function of(String layer, IActivation activation) {
        if (activation instanceof ActivationIdentity) {
            return new Function("Identity", null, null);
        }
        if (activation instanceof ActivationReLU relu) {
            boolean plain = relu.getMax() == null && (relu.getThreshold() == null || relu.getThreshold() == 0)
                    && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0);
            if (plain) {
                return new Function("Relu", null, null);
            }
        } else if (activation instanceof ActivationLReLU leaky) {
            return new Function("LeakyRelu", (float) leaky.getAlpha(), null);
        } else if (activation instanceof ActivationELU elu) {
            return new Function("Elu", (float) elu.getAlpha(), null);
        } else if (activation instanceof ActivationSigmoid) {
            return new Function("Sigmoid", null, null);
        } else if (activation instanceof ActivationHardSigmoid) {
            // DL4J's hard sigmoid is min(1, max(0, 0.2 x + 0.5)), ONNX's with these constants.
            return new Function("HardSigmoid", 0.2f, 0.5f);
        } else if (activation instanceof ActivationTanH) {
            return new Function("Tanh", null, null);
        } else if (activation instanceof ActivationSoftPlus) {
            return new Function("Softplus", null, null);
        }
        throw new OnnxExportException(layer + ": the activation " + activation + " has no exact ONNX form; "
                + "use one of RELU, LEAKY_RELU, ELU, SIGMOID, TANH, SOFTPLUS or IDENTITY");
    }

    /**
     * The activation as an ONNX LSTM names it among its {@code activations}: an identity is
     * {@code Affine} with alpha 1 and beta 0.
     */
    static Function ofRecurrent(String layer, IActivation activation) {
        Function f = of(layer, activation);
        return f.identity() ? new Function("Affine", 1f, 0f) : f;
    }
}
