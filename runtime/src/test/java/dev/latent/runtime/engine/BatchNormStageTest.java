package dev.latent.runtime.engine;

import static org.bytedeco.dnnl.global.dnnl.dnnl_aBcd8b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The batch-normalisation stage computes what DL4J's own layer computes, through oneDNN and
 * through libnd4j's ops: outputs in training and inference mode, the input gradient, gamma's and
 * beta's gradients and the steps of the global estimates; and a few training steps with DL4J's
 * updater leave the parameters, global estimates included, where DL4J's {@code fit} leaves them.
 *
 * <p>Tolerance: 1e-5 relative to the largest value compared, where 4e-7 was seen (float rounding:
 * oneDNN and ND4J sum the batch statistics in different orders, and DL4J's steps of the log10
 * standard deviation go through libnd4j's float {@code pow} and {@code log}).
 */
class BatchNormStageTest {
    private static final double TOLERANCE = 1e-5;
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    static Stream<Arguments> shapesAndBackends() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean oneDnn : backends()) {
            for (int n : new int[] {1, 7, 64}) {
                cases.add(Arguments.of(new long[] {n, 5}, oneDnn));
                cases.add(Arguments.of(new long[] {n, 3, 4, 5}, oneDnn));
            }
        }
        return cases.stream();
    }

    private static List<Boolean> backends() {
        return OneDnn.available() ? List.of(true, false) : List.of(false);
    }

    static Stream<Boolean> backendsStream() {
        return backends().stream();
    }

    /** A graph of one batch-normalisation layer and a mean-squared-error loss, on inputs of {@code shape}. */
    private static ComputationGraph network(long[] shape) {
        return network(shape, true);
    }

    /**
     * The same, keeping the global log10 standard deviation (the builder's default, the generated
     * code's) or, when not {@code logStd}, the global variance (models saved by DL4J 1.0.0-beta3 and before).
     */
    private static ComputationGraph network(long[] shape, boolean logStd) {
        InputType type = shape.length == 2 ? InputType.feedForward(shape[1])
                : InputType.convolutional(shape[2], shape[3], shape[1]);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT).updater(new Adam(0.05))
                .graphBuilder().addInputs("input").setInputTypes(type)
                .addLayer("norm", new BatchNormalization.Builder().decay(0.8).eps(1e-3).useLogStd(logStd).build(), "input")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .build(), "norm")
                .setOutputs("loss").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.initGradientsView();
        Layer norm = graph.getLayer("norm");
        long channels = norm.getParam("gamma").length();
        // Away from the initial 1, 0, 0 and 0, so that every parameter shows in the results.
        Nd4j.getRandom().setSeed(11);
        norm.getParam("gamma").assign(Nd4j.rand(DataType.FLOAT, channels).addi(0.5));
        norm.getParam("beta").assign(Nd4j.rand(DataType.FLOAT, channels).subi(0.5));
        norm.getParam("mean").assign(Nd4j.rand(DataType.FLOAT, channels).subi(0.5));
        if (logStd) {
            norm.getParam("log10stdev").assign(Nd4j.rand(DataType.FLOAT, channels).subi(0.5).muli(0.4));
        } else {
            norm.getParam("var").assign(Nd4j.rand(DataType.FLOAT, channels).addi(0.5));
        }
        return graph;
    }

    private static INDArray values(long[] shape, int seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape).muli(3).subi(1);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        assertTrue(difference <= TOLERANCE * scale, what + " differs by " + difference);
    }

    @ParameterizedTest
    @MethodSource("shapesAndBackends")
    void computesDl4jsLayerForwardAndBackward(long[] shape, boolean oneDnn) {
        ComputationGraph graph = network(shape);
        Layer norm = graph.getLayer("norm");
        INDArray input = values(shape, 5);
        INDArray outputGradient = values(shape, 6).muli(0.1);

        norm.setInput(input, NO_WORKSPACES);
        INDArray expectedOutput = norm.activate(true, NO_WORKSPACES).dup();
        INDArray expectedInputGradient = norm.backpropGradient(outputGradient, NO_WORKSPACES).getSecond().dup();
        INDArray expectedGradients = norm.getGradientsViewArray().dup();
        norm.setInput(input, NO_WORKSPACES);
        INDArray expectedInference = norm.activate(false, NO_WORKSPACES).dup();

        norm.getGradientsViewArray().assign(Double.NaN);
        BatchNormStage stage = new BatchNormStage(norm, oneDnn);
        assertClose(expectedOutput, stage.forward(Tensor.plain(input), true).plain(), "training output");
        assertClose(expectedInputGradient, stage.backward(Tensor.plain(outputGradient), true).plain(), "input gradient");
        // gamma, beta, the global mean's step and the global log10 standard deviation's, in DL4J's order.
        assertClose(expectedGradients, norm.getGradientsViewArray(), "parameter gradients");
        assertClose(expectedInference, stage.forward(Tensor.plain(input), false).plain(), "inference output");
    }

    @ParameterizedTest
    @MethodSource("backendsStream")
    void trainsAsDl4jsFitDoes(boolean oneDnn) {
        long[][] shapes = {{16, 6}, {8, 3, 5, 4}, {8, 3, 5, 4}};
        boolean[] logStds = {true, true, false};
        for (int c = 0; c < shapes.length; c++) {
            long[] shape = shapes[c];
            ComputationGraph dl4j = network(shape, logStds[c]);
            ComputationGraph direct = dl4j.clone();
            if (direct.getGradientsViewArray() == null) {
                direct.initGradientsView();
            }
            BatchNormStage stage = new BatchNormStage(direct.getLayer("norm"), oneDnn);
            long features = shape.length == 2 ? shape[1] : shape[1] * shape[2] * shape[3];
            for (int step = 0; step < 5; step++) {
                INDArray input = values(shape, 20 + step).addi(step * 0.3);
                INDArray labels = values(new long[] {shape[0], features}, 40 + step);
                dl4j.fit(new INDArray[] {input}, new INDArray[] {labels});
                stepThrough(stage, direct, input, labels);
            }
            assertClose(dl4j.params(), direct.params(), "parameters after 5 steps of " + java.util.Arrays.toString(shape));
        }
    }

    /**
     * One step as the direct step takes it: the stage's forward and backward pass on the gradient
     * of the batch's mean squared error, then DL4J's updater blocks and the parameters' {@code subi}.
     */
    private static void stepThrough(BatchNormStage stage, ComputationGraph graph, INDArray input, INDArray labels) {
        long n = input.size(0);
        INDArray output = stage.forward(Tensor.plain(input), true).plain().reshape('c', labels.shape());
        INDArray lossGradient = output.sub(labels).muli(2.0 / labels.size(1) / n);
        assertNull(stage.backward(Tensor.plain(lossGradient), false));
        ComputationGraphConfiguration conf = graph.getConfiguration();
        int iteration = conf.getIterationCount();
        for (UpdaterBlock block : graph.getUpdater(true).getUpdaterBlocks()) {
            block.update(iteration, conf.getEpochCount());
        }
        graph.params().subi(graph.getGradientsViewArray().reshape(graph.params().shape()));
        conf.setIterationCount(iteration + 1);
    }

    /**
     * A sequence {@code [n, F, T]} is normalised per feature over the batch and the time steps,
     * as Keras does: what DL4J's layer computes on the same values as images {@code [n, F, T, 1]}.
     */
    @ParameterizedTest
    @MethodSource("backendsStream")
    void normalisesSequencesPerFeature(boolean oneDnn) {
        long[] sequence = {7, 3, 6};
        long[] image = {7, 3, 6, 1};
        ComputationGraph graph = network(image);
        Layer norm = graph.getLayer("norm");
        INDArray input = values(sequence, 8);
        INDArray outputGradient = values(sequence, 9);
        norm.setInput(input.reshape('c', image), NO_WORKSPACES);
        INDArray expectedOutput = norm.activate(true, NO_WORKSPACES).dup().reshape('c', sequence);
        INDArray expectedInputGradient = norm.backpropGradient(outputGradient.reshape('c', image), NO_WORKSPACES)
                .getSecond().dup().reshape('c', sequence);
        INDArray expectedGradients = norm.getGradientsViewArray().dup();

        BatchNormStage stage = new BatchNormStage(norm, oneDnn);
        assertClose(expectedOutput, stage.forward(Tensor.plain(input), true).plain(), "training output");
        assertClose(expectedInputGradient, stage.backward(Tensor.plain(outputGradient), true).plain(), "input gradient");
        assertClose(expectedGradients, norm.getGradientsViewArray(), "parameter gradients");
    }

    /**
     * Values in oneDNN's blocked layout stay in it, and give what the plain values give; plain
     * images go into channel blocks, and stay there.
     */
    @Test
    void keepsOneDnnsLayout() {
        assumeTrue(OneDnn.available(), "oneDNN's natives load here");
        long[] shape = {4, 3, 5, 5};
        ComputationGraph graph = network(shape);
        Layer norm = graph.getLayer("norm");
        INDArray input = values(shape, 12);
        INDArray outputGradient = values(shape, 13);
        BatchNormStage plain = new BatchNormStage(norm, true);
        Tensor fromPlain = plain.forward(Tensor.plain(input), true);
        assertNotNull(fromPlain.layout(), "plain images go into channel blocks");
        INDArray expectedOutput = fromPlain.plain().dup();
        INDArray expectedInputGradient = plain.backward(Tensor.plain(outputGradient), true).plain().dup();
        INDArray expectedGradients = norm.getGradientsViewArray().dup();

        OneDnnContext context = new OneDnnContext();
        dnnl_memory_desc_t blocked = OneDnnContext.desc(shape, dnnl_aBcd8b);
        BatchNormStage laidOut = new BatchNormStage(norm, true);
        Tensor output = laidOut.forward(LaidOut.tensor(context, input, blocked), true);
        assertNotNull(output.layout(), "the output stays in oneDNN's layout");
        assertClose(expectedOutput, output.plain(), "training output");
        Tensor inputGradient = laidOut.backward(LaidOut.tensor(context, outputGradient, blocked), true);
        assertClose(expectedInputGradient, inputGradient.plain(), "input gradient");
        assertClose(expectedGradients, norm.getGradientsViewArray(), "parameter gradients");
    }

    @Test
    void refusesABackwardPassAfterInference() {
        ComputationGraph graph = network(new long[] {4, 5});
        BatchNormStage stage = new BatchNormStage(graph.getLayer("norm"), false);
        INDArray input = values(new long[] {4, 5}, 1);
        stage.forward(Tensor.plain(input), false);
        assertThrows(IllegalStateException.class, () -> stage.backward(Tensor.plain(input), true));
    }
}
