package dev.latent.testkit;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.settings.GraphPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares backpropagation's gradients with central differences on a double-precision copy of a
 * network's DL4J graph, the method and formula of DL4J's {@code GradientCheckUtil}: relative error
 * {@code |a - n| / (|a| + |n|)}, an entry failing above the maximum unless {@code |a - n|} is
 * under an absolute floor; and like it, it divides backpropagation's gradient by the batch size,
 * which DL4J's updater does before a step. Unlike {@code GradientCheckUtil}, whose {@code ComputationGraph} check
 * in DL4J 1.0.0-M2.1 ignores its {@code subset} and {@code maxPerParam} settings (it would perturb
 * all 897,153 parameters of the seed's conv model, two forward passes each), this checks a few
 * evenly spaced entries of every parameter array, and says which entries failed by layer and
 * parameter, where {@code GradientCheckUtil} answers a boolean and logs the rest.
 */
final class GradientCheck {
    /** DL4J's own gradient tests use these three. */
    static final double EPSILON = 1e-6;
    static final double DEFAULT_MAX_RELATIVE_ERROR = 1e-3;
    static final double MIN_ABSOLUTE_ERROR = 1e-8;
    private static final double BIAS_OFFSET = 0.1;
    private static final long BIAS_SEED = 7;
    private static final Set<String> RUNNING_STATISTICS = Set.of(BatchNormalizationParamInitializer.GLOBAL_MEAN,
            BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD);

    /** One checked entry of one parameter array. */
    record Entry(String layer, String parameter, long index, double backprop, double numerical) {
        double relativeError() {
            if (backprop == 0 && numerical == 0) {
                return 0;
            }
            return Math.abs(backprop - numerical) / (Math.abs(backprop) + Math.abs(numerical));
        }

        boolean fails(double maxRelativeError) {
            double relative = relativeError();
            return (relative > maxRelativeError || Double.isNaN(relative))
                    && !(Math.abs(backprop - numerical) < MIN_ABSOLUTE_ERROR);
        }
    }

    /** Every checked entry, and how many parameter arrays they came from. */
    record Result(List<Entry> entries, int arrays) {
        List<Entry> failures(double maxRelativeError) {
            return entries.stream().filter(e -> e.fails(maxRelativeError)).toList();
        }
    }

    private GradientCheck() {}

    /**
     * Checks up to {@code perArray} entries of each parameter array of {@link #doubleCopy} of
     * {@code network}, on {@code clean} (input and target both: the check is of the network, so no
     * noise). An entry whose central difference disagrees is measured again with one-sided
     * differences, and keeps the closest of the three: near a ReLU's kink only one side measures
     * the slope backpropagation uses.
     */
    static Result run(AutoencoderNetwork network, INDArray clean, int perArray, double maxRelativeError) {
        ComputationGraph graph = doubleCopy(network);
        INDArray input = clean.castTo(DataType.DOUBLE);
        long n = input.size(0);
        INDArray labels = input.reshape('c', n, input.length() / n);
        graph.setInputs(input);
        graph.setLabels(labels);
        graph.computeGradientAndScore();
        // The flat vectors, as GradientCheckUtil walks them: the per-layer views of paramTable() may
        // be in another order than the gradient's, the flat ones never are.
        INDArray gradient = graph.gradient().gradient().dup();
        INDArray params = graph.params();

        DataSet batch = new DataSet(input, labels);
        List<Entry> entries = new ArrayList<>();
        int arrays = 0;
        long start = 0;
        for (Map.Entry<String, INDArray> parameter : graph.paramTable().entrySet()) {
            String key = parameter.getKey();
            long length = parameter.getValue().length();
            int split = key.lastIndexOf('_');
            String layer = split < 0 ? key : key.substring(0, split);
            String name = split < 0 ? key : key.substring(split + 1);
            if (RUNNING_STATISTICS.contains(name)) {
                // Batch normalisation's running mean and variance are not learned: DL4J carries their
                // update in the gradient array, so there is no gradient to compare. DL4J's own
                // gradient tests exclude them the same way.
                start += length;
                continue;
            }
            int checks = (int) Math.min(perArray, length);
            arrays++;
            for (int j = 0; j < checks; j++) {
                long offset = (long) ((j + 0.5) * length / checks);
                long index = start + offset;
                double original = params.getDouble(index);
                params.putScalar(index, original + EPSILON);
                // Training mode, as the gradient was computed: batch normalisation uses batch statistics.
                double plus = graph.score(batch, true);
                params.putScalar(index, original - EPSILON);
                double minus = graph.score(batch, true);
                params.putScalar(index, original);
                // DL4J's updater, not backpropagation, divides by the batch size, as the score does.
                // A frozen layer's stretch of the flat gradient stays 0.
                double backprop = gradient.getDouble(index) / n;
                Entry entry = new Entry(layer, name, offset, backprop, (plus - minus) / (2 * EPSILON));
                if (entry.fails(maxRelativeError)) {
                    // A ReLU unit within EPSILON of its kink makes the central difference straddle it,
                    // averaging two slopes; backpropagation takes the slope of the side the unit is on,
                    // which one of the one-sided differences measures.
                    double here = graph.score(batch, true);
                    for (double oneSided : new double[] {(plus - here) / EPSILON, (here - minus) / EPSILON}) {
                        Entry retried = new Entry(layer, name, offset, backprop, oneSided);
                        if (retried.relativeError() < entry.relativeError()) {
                            entry = retried;
                        }
                    }
                }
                entries.add(entry);
            }
            start += length;
        }
        return new Result(entries, arrays);
    }

    /**
     * {@code network}'s autoencoder graph, freshly initialised from its seed in double precision,
     * biases set to small random values, dropout switched off so that every forward pass computes
     * the same function.
     */
    static ComputationGraph doubleCopy(AutoencoderNetwork network) {
        ComputationGraphConfiguration declared = network.configuration(GraphPart.AUTOENCODER, network.training(),
                network.loss());
        ComputationGraphConfiguration copy = ComputationGraphConfiguration.fromJson(declared.toJson());
        copy.setDataType(DataType.DOUBLE);
        for (GraphVertex vertex : copy.getVertices().values()) {
            if (vertex instanceof LayerVertex layer) {
                layer.getLayerConf().getLayer().setIDropout(null);
            }
        }
        ComputationGraph graph = new ComputationGraph(copy);
        graph.init();
        offsetBiases(graph);
        return graph;
    }

    /**
     * Biases start at 0, so a unit whose inputs are all 0 (a dark border, a dead region after a
     * ReLU) sits exactly on the ReLU's kink, where a central difference sees half a slope and
     * backpropagation none: a false failure on every bias of the seed's transposed convolutions.
     * Small random biases move every unit off the kink; the check is of the backward pass, which
     * does not depend on the starting values.
     */
    private static void offsetBiases(ComputationGraph graph) {
        try (Random random = Nd4j.getRandomFactory().getNewRandomInstance(BIAS_SEED)) {
            for (Map.Entry<String, INDArray> parameter : graph.paramTable().entrySet()) {
                if (parameter.getKey().endsWith("_" + DefaultParamInitializer.BIAS_KEY)) {
                    INDArray bias = parameter.getValue();
                    bias.assign(Nd4j.rand(random, bias.shape()).castTo(bias.dataType()).subi(0.5).muli(2 * BIAS_OFFSET));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
