package dev.latent.runtime.engine;

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
 * An element-wise activation and its derivative on float arrays on the heap, as DL4J's
 * {@link IActivation} computes them: the LSTM's gates and cell work on a few thousand values a
 * time step, where an ND4J op costs more to call than the loop costs to run.
 */
final class HeapActivation {
    enum Kind { IDENTITY, RELU, LEAKY_RELU, ELU, SIGMOID, HARD_SIGMOID, TANH, SOFTPLUS }

    private final Kind kind;
    private final float alpha;

    private HeapActivation(Kind kind, float alpha) {
        this.kind = kind;
        this.alpha = alpha;
    }

    Kind kind() {
        return kind;
    }

    /** {@code activation} on the heap, or null when it is not one computed here. */
    static HeapActivation of(IActivation activation) {
        if (activation instanceof ActivationIdentity) {
            return new HeapActivation(Kind.IDENTITY, 0);
        }
        if (activation instanceof ActivationReLU relu) {
            boolean plain = relu.getMax() == null && (relu.getThreshold() == null || relu.getThreshold() == 0)
                    && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0);
            return plain ? new HeapActivation(Kind.RELU, 0) : null;
        }
        if (activation instanceof ActivationLReLU leaky) {
            return new HeapActivation(Kind.LEAKY_RELU, (float) leaky.getAlpha());
        }
        if (activation instanceof ActivationELU elu) {
            return new HeapActivation(Kind.ELU, (float) elu.getAlpha());
        }
        if (activation instanceof ActivationSigmoid) {
            return new HeapActivation(Kind.SIGMOID, 0);
        }
        if (activation instanceof ActivationHardSigmoid) {
            return new HeapActivation(Kind.HARD_SIGMOID, 0);
        }
        if (activation instanceof ActivationTanH) {
            return new HeapActivation(Kind.TANH, 0);
        }
        if (activation instanceof ActivationSoftPlus) {
            return new HeapActivation(Kind.SOFTPLUS, 0);
        }
        return null;
    }

    /** {@code to[at + i] = f(from[from + i])} for {@code length} values. */
    void apply(float[] from, int fromAt, float[] to, int at, int length) {
        switch (kind) {
            case IDENTITY -> System.arraycopy(from, fromAt, to, at, length);
            case RELU -> {
                for (int i = 0; i < length; i++) {
                    to[at + i] = Math.max(0f, from[fromAt + i]);
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < length; i++) {
                    float x = from[fromAt + i];
                    to[at + i] = x > 0 ? x : alpha * x;
                }
            }
            case ELU -> {
                for (int i = 0; i < length; i++) {
                    float x = from[fromAt + i];
                    to[at + i] = x > 0 ? x : (float) (alpha * Math.expm1(x));
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < length; i++) {
                    to[at + i] = sigmoid(from[fromAt + i]);
                }
            }
            case HARD_SIGMOID -> {
                for (int i = 0; i < length; i++) {
                    to[at + i] = Math.min(1f, Math.max(0f, 0.2f * from[fromAt + i] + 0.5f));
                }
            }
            case TANH -> {
                for (int i = 0; i < length; i++) {
                    to[at + i] = tanh(from[fromAt + i]);
                }
            }
            case SOFTPLUS -> {
                for (int i = 0; i < length; i++) {
                    to[at + i] = (float) Math.log1p(Math.exp(from[fromAt + i]));
                }
            }
        }
    }

    /**
     * The derivative at one value, from its input {@code x} and its output {@code y} (each
     * activation reads whichever it needs).
     */
    float derivative(float x, float y) {
        return switch (kind) {
            case IDENTITY -> 1f;
            case RELU -> x > 0 ? 1f : 0f;
            case LEAKY_RELU -> x > 0 ? 1f : alpha;
            case ELU -> x > 0 ? 1f : y + alpha;
            case SIGMOID -> y * (1f - y);
            case HARD_SIGMOID -> x > -2.5f && x < 2.5f ? 0.2f : 0f;
            case TANH -> 1f - y * y;
            case SOFTPLUS -> sigmoid(x);
        };
    }

    /**
     * tanh through {@code exp}, which the JIT compiles to one instruction sequence; {@code Math.tanh}
     * is a library call, and made the heap LSTM's forward pass four times slower. In double, then
     * rounded: within a float's last bit of {@code Math.tanh}.
     */
    static float tanh(float x) {
        return (float) (1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0));
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
