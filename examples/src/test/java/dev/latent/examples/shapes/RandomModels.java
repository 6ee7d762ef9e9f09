package dev.latent.examples.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random valid model sources: vector, image or sequence input, an encoder and a decoder of random
 * layers of every kind, ending in a layer back to the input's shape. Sizes stay small (sides and
 * sequence lengths up to 64).
 */
final class RandomModels {
    private static final String[] ACTIVATIONS = {"RELU", "LEAKY_RELU", "ELU", "SIGMOID", "TANH", "SOFTPLUS", "IDENTITY"};
    private static final int MAX_SIDE = 64;

    private RandomModels() {}

    /** The source of {@code shapes.<name>}, with a vector or image input. */
    static String source(String name, Random random) {
        boolean image = random.nextInt(3) > 0;
        int[] input = image
                ? new int[] {4 + random.nextInt(29), 4 + random.nextInt(29), 1 + random.nextInt(3)}
                : new int[] {4 + random.nextInt(97)};
        return source(name, input, random);
    }

    /** The source of {@code shapes.<name>}, with a sequence input {T, F}. */
    static String sequenceSource(String name, Random random) {
        return source(name, new int[] {4 + random.nextInt(45), 1 + random.nextInt(4)}, random);
    }

    private static String source(String name, int[] input, Random random) {
        int[][] shape = {input.clone()};
        List<String> encoder = new ArrayList<>();
        int encoderLayers = 1 + random.nextInt(4);
        for (int i = 0; i < encoderLayers; i++) {
            encoder.add(layer(random, shape) + " void e" + i + "();");
        }
        List<String> decoder = new ArrayList<>();
        int decoderLayers = random.nextInt(3);
        for (int i = 0; i < decoderLayers; i++) {
            decoder.add(layer(random, shape) + " void d" + i + "();");
        }
        if (shape[0].length > 1) {
            decoder.add("@Flatten void flat();");
        }
        decoder.add("@Dense(units = " + count(input) + ", activation = Activation.SIGMOID) void out();");
        if (input.length > 1) {
            decoder.add("@Reshape({" + join(input) + "}) void back();");
        }
        StringBuilder s = new StringBuilder("package shapes;\nimport dev.latent.dsl.*;\n")
                .append("@SuppressWarnings({\"latent:noise-too-weak\", \"latent:narrow-code\"})\n")
                .append("@Autoencoder(inputShape = {").append(join(input)).append("})\n")
                .append("public interface ").append(name).append(" {\n    @Encoder interface E {\n");
        encoder.forEach(l -> s.append("        ").append(l).append('\n'));
        s.append("    }\n    @Decoder interface D {\n");
        decoder.forEach(l -> s.append("        ").append(l).append('\n'));
        return s.append("    }\n}\n").toString();
    }

    /** A random layer that fits {@code shape[0]}, which it updates to the layer's output. */
    private static String layer(Random random, int[][] shape) {
        int[] in = shape[0];
        if (in.length == 2) {
            return sequenceLayer(random, shape);
        }
        if (in.length == 1) {
            int n = in[0];
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    int units = 1 + random.nextInt(40);
                    shape[0] = new int[] {units};
                    return "@Dense(units = " + units + ", activation = Activation." + activation(random) + ")";
                }
                case 2 -> {
                    return "@BatchNormalization";
                }
                case 3 -> {
                    return "@Dropout(" + (1 + random.nextInt(5)) / 10.0 + ")";
                }
                case 4 -> {
                    return reshapeToSequence(n, 4, shape);
                }
                default -> {
                    int side = largestDivisorAtMost(n, MAX_SIDE);
                    if (side == 1 || n / side > MAX_SIDE) {
                        shape[0] = new int[] {8};
                        return "@Dense(8)";
                    }
                    shape[0] = new int[] {side, n / side, 1};
                    return "@Reshape({" + side + ", " + (n / side) + ", 1})";
                }
            }
        }
        int h = in[0];
        int w = in[1];
        int c = in[2];
        switch (random.nextInt(7)) {
            case 0 -> {
                int filters = 1 + random.nextInt(8);
                int kernel = 1 + random.nextInt(Math.min(5, Math.min(h, w)));
                int strides = 1 + random.nextInt(3);
                boolean same = random.nextBoolean();
                shape[0] = same ? new int[] {ceil(h, strides), ceil(w, strides), filters}
                        : new int[] {(h - kernel) / strides + 1, (w - kernel) / strides + 1, filters};
                return "@Conv2D(filters = " + filters + ", kernel = " + kernel + ", strides = " + strides
                        + ", padding = Padding." + (same ? "SAME" : "VALID") + ", activation = Activation."
                        + activation(random) + ")";
            }
            case 1 -> {
                int filters = 1 + random.nextInt(8);
                int strides = 1 + random.nextInt(2);
                int kernel = strides + random.nextInt(3);
                boolean same = random.nextBoolean();
                int oh = same ? h * strides : (h - 1) * strides + kernel;
                int ow = same ? w * strides : (w - 1) * strides + kernel;
                if (oh > MAX_SIDE || ow > MAX_SIDE) {
                    return "@BatchNormalization";
                }
                shape[0] = new int[] {oh, ow, filters};
                return "@Conv2DTranspose(filters = " + filters + ", kernel = " + kernel + ", strides = " + strides
                        + ", padding = Padding." + (same ? "SAME" : "VALID") + ")";
            }
            case 2 -> {
                int size = 1 + random.nextInt(Math.min(3, Math.min(h, w)));
                int strides = random.nextInt(3);
                int step = strides == 0 ? size : strides;
                boolean same = random.nextBoolean();
                shape[0] = same ? new int[] {ceil(h, step), ceil(w, step), c}
                        : new int[] {(h - size) / step + 1, (w - size) / step + 1, c};
                return "@MaxPool2D(size = " + size + ", strides = " + strides + ", padding = Padding."
                        + (same ? "SAME" : "VALID") + ")";
            }
            case 3 -> {
                int size = 1 + random.nextInt(2);
                if (h * size > MAX_SIDE || w * size > MAX_SIDE) {
                    return "@Dropout(0.2)";
                }
                shape[0] = new int[] {h * size, w * size, c};
                return "@UpSampling2D(" + size + ")";
            }
            case 4 -> {
                return "@BatchNormalization";
            }
            case 5 -> {
                return "@Dropout(rate = 0.25)";
            }
            default -> {
                shape[0] = new int[] {h * w * c};
                return "@Flatten";
            }
        }
    }

    /** A random layer that fits the sequence {@code shape[0]}, which it updates to the layer's output. */
    private static String sequenceLayer(Random random, int[][] shape) {
        int t = shape[0][0];
        int f = shape[0][1];
        switch (random.nextInt(9)) {
            case 0, 1 -> {
                int filters = 1 + random.nextInt(8);
                int kernel = 1 + random.nextInt(Math.min(5, t));
                int strides = 1 + random.nextInt(3);
                boolean same = random.nextBoolean();
                shape[0] = new int[] {same ? ceil(t, strides) : (t - kernel) / strides + 1, filters};
                return "@Conv1D(filters = " + filters + ", kernel = " + kernel + ", strides = " + strides
                        + ", padding = Padding." + (same ? "SAME" : "VALID") + ", activation = Activation."
                        + activation(random) + ")";
            }
            case 2 -> {
                int size = 1 + random.nextInt(Math.min(3, t));
                int strides = random.nextInt(3);
                int step = strides == 0 ? size : strides;
                boolean same = random.nextBoolean();
                shape[0] = new int[] {same ? ceil(t, step) : (t - size) / step + 1, f};
                return "@MaxPool1D(size = " + size + ", strides = " + strides + ", padding = Padding."
                        + (same ? "SAME" : "VALID") + ")";
            }
            case 3 -> {
                int size = 1 + random.nextInt(2);
                if (t * size > MAX_SIDE) {
                    return "@Dropout(0.2)";
                }
                shape[0] = new int[] {t * size, f};
                return "@UpSampling1D(" + size + ")";
            }
            case 4, 5 -> {
                int units = 1 + random.nextInt(12);
                boolean sequences = random.nextBoolean();
                shape[0] = sequences ? new int[] {t, units} : new int[] {units};
                return "@LSTM(units = " + units + ", returnSequences = " + sequences + ", activation = Activation."
                        + activation(random) + ")";
            }
            case 6 -> {
                return random.nextBoolean() ? "@BatchNormalization" : "@Dropout(rate = 0.25)";
            }
            case 7 -> {
                return reshapeToSequence(t * f, 6, shape);
            }
            default -> {
                shape[0] = new int[] {t * f};
                return "@Flatten";
            }
        }
    }

    /**
     * A reshape of {@code n} values into a sequence of at most {@code maxFeatures} features, which
     * updates {@code shape[0]}; a dropout, leaving the shape as it is, where the sequence would be
     * longer than {@code MAX_SIDE}.
     */
    private static String reshapeToSequence(int n, int maxFeatures, int[][] shape) {
        int features = largestDivisorAtMost(n, maxFeatures);
        if (n / features > MAX_SIDE) {
            return "@Dropout(0.1)";
        }
        shape[0] = new int[] {n / features, features};
        return "@Reshape({" + (n / features) + ", " + features + "})";
    }

    private static String activation(Random random) {
        return ACTIVATIONS[random.nextInt(ACTIVATIONS.length)];
    }

    private static int largestDivisorAtMost(int n, int limit) {
        for (int d = Math.min(n, limit); d > 1; d--) {
            if (n % d == 0) {
                return d;
            }
        }
        return 1;
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static String join(int[] shape) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.toString();
    }
}
