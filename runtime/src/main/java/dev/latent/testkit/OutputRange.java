package dev.latent.testkit;

import static dev.latent.testkit.NetworkAssert.num;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.AutoencoderNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The output checks: whether the reconstruction stays in the data's range, and whether the output
 * activation can reach all of it.
 */
final class OutputRange {
    /** Standardised (UNBOUNDED) data reaches this many standard deviations either side of 0. */
    static final double UNBOUNDED_REACH = 3;

    /** The values each of DL4J's activations can give, by class name; ELU and SELU as DL4J configures them by default. */
    private static final Map<String, double[]> IMAGES = Map.ofEntries(
            Map.entry("ActivationSigmoid", new double[] {0, 1}),
            Map.entry("ActivationHardSigmoid", new double[] {0, 1}),
            Map.entry("ActivationSoftmax", new double[] {0, 1}),
            Map.entry("ActivationRectifiedTanh", new double[] {0, 1}),
            Map.entry("ActivationReLU", new double[] {0, Double.POSITIVE_INFINITY}),
            Map.entry("ActivationThresholdedReLU", new double[] {0, Double.POSITIVE_INFINITY}),
            Map.entry("ActivationSoftPlus", new double[] {0, Double.POSITIVE_INFINITY}),
            Map.entry("ActivationReLU6", new double[] {0, 6}),
            Map.entry("ActivationTanH", new double[] {-1, 1}),
            Map.entry("ActivationHardTanH", new double[] {-1, 1}),
            Map.entry("ActivationSoftSign", new double[] {-1, 1}),
            Map.entry("ActivationRationalTanh", new double[] {-1, 1}),
            Map.entry("ActivationELU", new double[] {-1, Double.POSITIVE_INFINITY}),
            Map.entry("ActivationSELU", new double[] {-1.7581, Double.POSITIVE_INFINITY}),
            Map.entry("ActivationSwish", new double[] {-0.2785, Double.POSITIVE_INFINITY}),
            Map.entry("ActivationGELU", new double[] {-0.17, Double.POSITIVE_INFINITY}),
            Map.entry("ActivationMish", new double[] {-0.3088, Double.POSITIVE_INFINITY}),
            Map.entry("ActivationIdentity", new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}),
            Map.entry("ActivationLReLU", new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}),
            Map.entry("ActivationPReLU", new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}),
            Map.entry("ActivationCube", new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}));

    private final AutoencoderNetwork network;

    OutputRange(AutoencoderNetwork network) {
        this.network = network;
    }

    /** Fails unless the output layer's activation can give every value of {@code range}'s data. */
    void requireCovers(DataRange range) {
        AssertionError failure = coverageFailure(range);
        if (failure != null) {
            throw failure;
        }
    }

    /** The failure of {@link #requireCovers}, or null if the output activation covers {@code range}. */
    AssertionError coverageFailure(DataRange range) {
        GraphFacts.OutputLayer output = GraphFacts.findOutputLayer(network);
        if (output.activation() == null) {
            return null; // No activation at all: a linear output covers any range.
        }
        double[] image = IMAGES.get(output.activation().getClass().getSimpleName());
        if (image == null) {
            return Failures.of(String.format(Locale.ROOT, "%s: cannot tell which values the output layer %s gives; "
                    + "check the output with outputStaysIn(DataRange.%s) instead of outputCoversItsRange().",
                    network.modelName(), output, range));
        }
        double low = range.isBounded() ? range.min() : -UNBOUNDED_REACH;
        double high = range.isBounded() ? range.max() : UNBOUNDED_REACH;
        List<String> misses = new ArrayList<>();
        if (image[0] > low) {
            misses.add("never goes below " + num(image[0]));
        }
        if (image[1] < high) {
            misses.add("never goes above " + num(image[1]));
        }
        if (misses.isEmpty()) {
            return null;
        }
        String data = range.isBounded() ? range + " data in " + interval(range)
                : "UNBOUNDED (standardised) data, which reaches " + num(UNBOUNDED_REACH)
                        + " standard deviations either side of 0";
        return Failures.of(String.format(Locale.ROOT, "%s: the output layer %s gives values in %s, which cannot "
                + "cover %s: it %s, so the reconstruction of such values is always wrong. %s",
                network.modelName(), output, interval(image[0], image[1]), data, String.join(" and ", misses),
                fix(range, output)), "an activation covering " + interval(low, high),
                output.activation() + " " + interval(image[0], image[1]));
    }

    /**
     * Fails if, for any probe input, an output value leaves {@code range} or is not finite.
     * {@code reconstruct} runs the network on an input, given what is being done for a failure.
     */
    void requireStaysIn(DataRange range, INDArray batch, BiFunction<String, INDArray, INDArray> reconstruct) {
        for (Probe probe : probes(range, batch)) {
            double[] values = NetworkAssert.values(reconstruct.apply("reconstructing " + probe.name(), probe.input()));
            long outside = 0;
            double lowest = Double.POSITIVE_INFINITY;
            double highest = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                if (!(v >= range.min() && v <= range.max()) || !Double.isFinite(v)) {
                    outside++;
                }
                lowest = Math.min(lowest, v);
                highest = Math.max(highest, v);
            }
            if (outside > 0) {
                throw Failures.of(String.format(Locale.ROOT,
                        "%s: for %s, %,d of %,d output values leave %s %s (lowest %s, highest %s). "
                                + "The output layer is %s%s",
                        network.modelName(), probe.name(), outside, values.length, range, interval(range),
                        num(lowest), num(highest), GraphFacts.outputLayer(network), advice(range)),
                        range + " " + interval(range), "[" + num(lowest) + ", " + num(highest) + "]");
            }
        }
    }

    private record Probe(String name, INDArray input) {}

    private List<Probe> probes(DataRange range, INDArray batch) {
        long[] shape = network.inputShape().batchShape(NetworkAssert.DEFAULT_BATCH_SIZE);
        List<Probe> probes = new ArrayList<>();
        probes.add(new Probe("the batch", batch));
        double low = range.isBounded() ? range.min() : -3;
        double high = range.isBounded() ? range.max() : 3;
        double far = range.isBounded() ? 3 * (high - low) : 7;
        probes.add(new Probe("an input of " + num(low) + " everywhere", Nd4j.valueArrayOf(shape, (float) low)));
        probes.add(new Probe("an input of " + num(high) + " everywhere", Nd4j.valueArrayOf(shape, (float) high)));
        try (Random random = Nd4j.getRandomFactory().getNewRandomInstance(network.training().seed())) {
            probes.add(new Probe("uniform noise in [" + num(low) + ", " + num(high) + "]",
                    Nd4j.rand(random, shape).castTo(DataType.FLOAT).muli(high - low).addi(low)));
            probes.add(new Probe("uniform noise in [" + num(low - far) + ", " + num(high + far) + "]",
                    Nd4j.rand(random, shape).castTo(DataType.FLOAT).muli(high - low + 2 * far).addi(low - far)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        probes.add(new Probe("an input of " + num(low - far) + " everywhere",
                Nd4j.valueArrayOf(shape, (float) (low - far))));
        probes.add(new Probe("an input of " + num(high + far) + " everywhere",
                Nd4j.valueArrayOf(shape, (float) (high + far))));
        return probes;
    }

    private static String advice(DataRange range) {
        return switch (range) {
            case UNIT -> "; for UNIT data the output activation must stay in [0, 1]: SIGMOID.";
            case SYMMETRIC -> "; for SYMMETRIC data the output activation must stay in [-1, 1]: TANH.";
            case UNBOUNDED -> "; an UNBOUNDED output must at least stay finite: look for exploding weights.";
        };
    }

    private static String fix(DataRange range, GraphFacts.OutputLayer output) {
        String layer = output.name().substring(output.name().lastIndexOf('.') + 1);
        return switch (range) {
            case UNIT -> "For UNIT data give " + layer + " activation = Activation.SIGMOID.";
            case SYMMETRIC -> "For SYMMETRIC data give " + layer + " activation = Activation.TANH.";
            case UNBOUNDED -> "For UNBOUNDED data give " + layer + " activation = Activation.IDENTITY.";
        };
    }

    static String interval(DataRange range) {
        return range.isBounded() ? interval(range.min(), range.max()) : "(finite values)";
    }

    private static String interval(double low, double high) {
        return "[" + bound(low) + ", " + bound(high) + "]";
    }

    private static String bound(double v) {
        return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : num(v);
    }
}
