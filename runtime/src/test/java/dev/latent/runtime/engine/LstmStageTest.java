package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The LSTM stage computes what DL4J's own LSTM layer computes, with and without
 * {@code LastTimeStep}, on both backends: the output, and from a gradient at the output, the
 * gradients of the input and of W, RW and b. Tolerance: 1e-4 of the largest value compared, plus
 * 1e-6 (float rounding over 7 steps; DL4J's tanh and ours differ in the last bit).
 */
class LstmStageTest {
    private static final int INPUTS = 3;
    private static final int UNITS = 5;
    private static final int STEPS = 7;

    static java.util.stream.Stream<Arguments> cases() {
        java.util.List<Arguments> cases = new java.util.ArrayList<>();
        for (boolean returnSequences : new boolean[] {true, false}) {
            for (int batch : new int[] {1, 4}) {
                cases.add(Arguments.of(false, Activation.TANH, returnSequences, batch));
                cases.add(Arguments.of(false, Activation.RELU, returnSequences, batch));
                // oneDNN's LSTM computes tanh only; the planner sends the others to the heap kernel.
                cases.add(Arguments.of(true, Activation.TANH, returnSequences, batch));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "oneDNN {0}, {1}, returnSequences {2}, batch {3}")
    @MethodSource("cases")
    void matchesDl4jsLayer(boolean oneDnn, Activation activation, boolean returnSequences, int batch) {
        assumeTrue(!oneDnn || OneDnn.available(), "oneDNN's natives load here");
        comparesWithDl4j(lstm(activation), returnSequences, batch, oneDnn, 11);
    }

    /** Every activation the DSL offers, on the heap backend, both ways of returning. */
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "LEAKYRELU", "ELU", "SIGMOID", "TANH", "SOFTPLUS", "IDENTITY"})
    void computesEveryActivationOfTheDsl(Activation activation) {
        comparesWithDl4j(lstm(activation), true, 3, false, 12);
        comparesWithDl4j(lstm(activation), false, 3, false, 13);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "SIGMOID", "IDENTITY"})
    void oneDnnRefusesAnythingButTanh(Activation activation) {
        assumeTrue(OneDnn.available(), "oneDNN's natives load here");
        String reason = LstmStage.oneDnnRefusal(lstm(activation));
        assertNotNull(reason);
        assertTrue(reason.contains("tanh only"), reason);
        assertNull(LstmStage.refusal(lstm(activation)));
        assertNull(LstmStage.oneDnnRefusal(lstm(Activation.TANH)));
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"SOFTMAX", "CUBE"})
    void refusesWhatNeitherBackendComputes(Activation activation) {
        assertNotNull(LstmStage.refusal(lstm(activation)));
        ComputationGraph graph = graph(lstm(activation), true);
        assertThrows(IllegalArgumentException.class,
                () -> new LstmStage(graph.getLayer("lstm"), lstm(activation), true, false));
    }

    /** Sizes that are no multiple of oneDNN's blocks, and a longer sequence. */
    @ParameterizedTest(name = "oneDNN {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void matchesDl4jOnALargerLayer(boolean oneDnn) {
        assumeTrue(!oneDnn || OneDnn.available(), "oneDNN's natives load here");
        LSTM lstm = new LSTM.Builder().nIn(6).nOut(33).activation(Activation.TANH).build();
        comparesWithDl4j(lstm, 19, true, 16, oneDnn, 14);
        comparesWithDl4j(lstm, 19, false, 16, oneDnn, 15);
    }

    @org.junit.jupiter.api.Test
    void refusesDropoutOnItsInput() {
        LSTM lstm = new LSTM.Builder().nIn(INPUTS).nOut(UNITS).dropOut(0.5).build();
        assertNotNull(LstmStage.refusal(lstm));
        assertNotNull(LstmStage.oneDnnRefusal(lstm));
    }

    private static LSTM lstm(Activation activation) {
        return new LSTM.Builder().nIn(INPUTS).nOut(UNITS).activation(activation).build();
    }

    private static ComputationGraph graph(LSTM lstm, boolean returnSequences) {
        return graph(lstm, STEPS, returnSequences);
    }

    private static ComputationGraph graph(LSTM lstm, int steps, boolean returnSequences) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.recurrent(lstm.getNIn(), steps))
                .addLayer("lstm", returnSequences ? lstm : new LastTimeStep(lstm), "input")
                .addLayer("loss", returnSequences
                        ? new RnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build()
                        : new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(),
                        "lstm")
                .setOutputs("loss")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.initGradientsView();
        return graph;
    }

    private static void comparesWithDl4j(LSTM lstm, boolean returnSequences, int batch, boolean oneDnn, long seed) {
        comparesWithDl4j(lstm, STEPS, returnSequences, batch, oneDnn, seed);
    }

    private static void comparesWithDl4j(LSTM lstm, int steps, boolean returnSequences, int batch, boolean oneDnn,
            long seed) {
        ComputationGraph graph = graph(lstm, steps, returnSequences);
        long inputs = lstm.getNIn();
        long units = lstm.getNOut();
        Nd4j.getRandom().setSeed(seed);
        // Random parameters of both signs, large enough that every gate and the cell matter.
        graph.params().assign(Nd4j.rand(DataType.FLOAT, graph.params().shape()).subi(0.5).muli(1.6));
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, inputs, steps).subi(0.5).muli(2);
        long[] outputShape = returnSequences ? new long[] {batch, units, steps} : new long[] {batch, units};
        // The gradient an MSE loss against random targets gives: any values of the output's shape.
        INDArray outputGradient = Nd4j.rand(DataType.FLOAT, outputShape).subi(0.5);

        Layer layer = graph.getLayer("lstm");
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(input.dup(), workspaces);
        INDArray expectedOutput = layer.activate(true, workspaces).dup();
        Pair<Gradient, INDArray> expected = layer.backpropGradient(outputGradient.dup(), workspaces);
        Map<String, INDArray> expectedGradients = new HashMap<>();
        expected.getFirst().gradientForVariable().forEach((key, value) -> expectedGradients.put(key, value.dup()));
        INDArray expectedInputGradient = expected.getSecond().dup();
        graph.getGradientsViewArray().assign(0);

        LSTM conf = (LSTM) layer.conf().getLayer();
        LstmStage stage = new LstmStage(layer, conf, returnSequences, oneDnn);
        // Twice: the second pass reuses the kernel's arrays, and must not carry anything over.
        for (int pass = 0; pass < 2; pass++) {
            INDArray output = stage.forward(Tensor.plain(input), true).plain();
            assertClose(expectedOutput, output, "output");
            INDArray inputGradient = stage.backward(Tensor.plain(outputGradient), true).plain();
            assertClose(expectedInputGradient, inputGradient, "input gradient");
            LstmParams params = LstmParams.of(layer);
            assertClose(expectedGradients.get("W"), params.inputWeightGradient(), "W gradient");
            assertClose(expectedGradients.get("RW"), params.recurrentWeightGradient(), "RW gradient");
            assertClose(expectedGradients.get("b"), params.biasGradient(), "b gradient");
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertNotNull(expected, what);
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double scale = expected.amaxNumber().doubleValue();
        double difference = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(difference <= 1e-4 * scale + 1e-6, what + " differs by " + difference + " (largest " + scale + ")");
    }
}
