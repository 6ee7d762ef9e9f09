package dev.latent.runtime.engine;

import java.util.Arrays;
import org.nd4j.linalg.activations.IActivation;

/**
 * One layer of a network as the engine computes it: the network's DL4J configuration lowered
 * once ({@link Lowering}) into these, one kind per kind of layer the DSL offers, with the settings
 * the layer's kernels need. Shapes are per sample, in the engine's layout ({@code [C, H, W]},
 * {@code [N]}, {@code [F, T]}). A 1-D layer is the 2-D one over {@code [F, T, 1]}, as DL4J
 * computes it, so it has no kind of its own.
 */
public sealed interface Op {

    /** The layer's or vertex's name in the graph: {@code encoder.conv1}. */
    String name();

    /** The shape of one sample going in. */
    long[] input();

    /** The shape of one sample coming out. */
    long[] output();

    /** A short description for the engine's plan: {@code Conv2D 3x3/1 SAME, RELU}. */
    String describe();

    /** Whether the op has parameters in the graph's parameter array. */
    default boolean weighted() {
        return false;
    }

    /** A fully connected layer, weights {@code [in, out]} column-major as DL4J keeps them. */
    record Dense(String name, long[] input, long[] output, IActivation activation) implements Op {
        @Override
        public String describe() {
            return "Dense " + output[0] + ", " + activation;
        }

        @Override
        public boolean weighted() {
            return true;
        }
    }

    /**
     * A convolution, NCHW, kernel {@code [out, in, kH, kW]}; for a sequence ({@code sequence}) the
     * same over {@code [F, T, 1]}.
     */
    record Conv(String name, long[] input, long[] output, int[] kernel, int[] stride, int[] padding, boolean same,
            IActivation activation, boolean sequence) implements Op {
        @Override
        public String describe() {
            return (sequence ? "Conv1D " + kernel[0] + "/" + stride[0] : "Conv2D " + window(kernel, stride))
                    + (same ? " SAME, " : " VALID, ") + activation;
        }

        @Override
        public boolean weighted() {
            return true;
        }
    }

    /** A transposed convolution, NCHW, kernel {@code [in, out, kH, kW]}. */
    record Deconv(String name, long[] input, long[] output, int[] kernel, int[] stride, boolean same,
            IActivation activation) implements Op {
        @Override
        public String describe() {
            return "Conv2DTranspose " + window(kernel, stride) + (same ? " SAME, " : " VALID, ") + activation;
        }

        @Override
        public boolean weighted() {
            return true;
        }
    }

    /** Max pooling, NCHW, or over {@code [F, T, 1]} for a sequence. */
    record MaxPool(String name, long[] input, long[] output, int[] kernel, int[] stride, int[] padding, boolean same,
            boolean sequence) implements Op {
        @Override
        public String describe() {
            return (sequence ? "MaxPool1D " + kernel[0] + "/" + stride[0] : "MaxPool2D " + window(kernel, stride))
                    + (same ? " SAME" : " VALID");
        }
    }

    /** Nearest-neighbour upsampling by whole factors, NCHW, or over {@code [F, T, 1]} for a sequence. */
    record UpSample(String name, long[] input, long[] output, int height, int width, boolean sequence) implements Op {
        @Override
        public String describe() {
            return sequence ? "UpSampling1D " + height : "UpSampling2D " + height + "x" + width;
        }
    }

    /** A row-major reshape: a flatten, an unflatten, or a sequence's reshape. */
    record Reshape(String name, long[] input, long[] output) implements Op {
        @Override
        public String describe() {
            return "Reshape " + Arrays.toString(input) + " -> " + Arrays.toString(output);
        }
    }

    /** Inverted dropout keeping each value with probability {@code keep}: identity in inference. */
    record Dropout(String name, long[] input, long[] output, double keep) implements Op {
        @Override
        public String describe() {
            return "Dropout " + java.math.BigDecimal.valueOf(1 - keep).round(new java.math.MathContext(6)).stripTrailingZeros()
                    .toPlainString();
        }
    }

    /** Batch normalisation over the channels (or features), with DL4J's decay and epsilon. */
    record BatchNorm(String name, long[] input, long[] output, double decay, double epsilon) implements Op {
        @Override
        public String describe() {
            return "BatchNormalization decay " + decay + ", eps " + epsilon;
        }

        @Override
        public boolean weighted() {
            return true;
        }
    }

    /** An LSTM over {@code [F, T]}: every step's output, or only the last ({@code lastStepOnly}). */
    record Lstm(String name, long[] input, long[] output, IActivation activation, boolean lastStepOnly) implements Op {
        @Override
        public String describe() {
            return "LSTM " + output[0] + ", " + activation + (lastStepOnly ? ", last step" : ", sequences");
        }

        @Override
        public boolean weighted() {
            return true;
        }
    }

    private static String window(int[] kernel, int[] stride) {
        return kernel[0] + "x" + kernel[1] + "/" + stride[0] + (stride[0] == stride[1] ? "" : "x" + stride[1]);
    }
}
