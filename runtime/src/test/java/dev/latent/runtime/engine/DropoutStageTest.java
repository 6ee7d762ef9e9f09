package dev.latent.runtime.engine;

import static org.bytedeco.dnnl.global.dnnl.dnnl_aBcd8b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.Stream;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The dropout stage computes what DL4J's dropout layer computes on the same mask, bit for bit;
 * its own masks keep about the share of values asked for; and its generator's state, saved and
 * restored, draws the same masks again.
 */
class DropoutStageTest {
    private static final double RATE = 0.3;
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    static Stream<long[]> shapes() {
        return Stream.of(new long[] {1, 6}, new long[] {7, 6}, new long[] {64, 6}, new long[] {1, 3, 4, 5},
                new long[] {7, 3, 4, 5}, new long[] {64, 3, 4, 5});
    }

    /** DL4J's dropout layer as the generated code makes it for Keras' {@code Dropout(RATE)}. */
    private static Layer dropoutLayer(long[] shape) {
        InputType type = shape.length == 2 ? InputType.feedForward(shape[1])
                : InputType.convolutional(shape[2], shape[3], shape[1]);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT)
                .graphBuilder().addInputs("input").setInputTypes(type)
                .addLayer("dropout", new DropoutLayer.Builder(1.0 - RATE).build(), "input")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .build(), "dropout")
                .setOutputs("loss").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph.getLayer("dropout");
    }

    private static INDArray values(long[] shape, int seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void computesDl4jsLayerOnItsMask(long[] shape) {
        Layer layer = dropoutLayer(shape);
        INDArray input = values(shape, 5);
        INDArray outputGradient = values(shape, 6);
        layer.setInput(input.dup(), NO_WORKSPACES);
        INDArray expectedOutput = layer.activate(true, NO_WORKSPACES).dup();
        INDArray mask = ((Dropout) layer.conf().getLayer().getIDropout()).getMask().dup();
        INDArray expectedInputGradient = layer.backpropGradient(outputGradient.dup(), NO_WORKSPACES).getSecond().dup();
        layer.setInput(input.dup(), NO_WORKSPACES);
        INDArray expectedInference = layer.activate(false, NO_WORKSPACES).dup();

        double keep = DropoutStage.keepProbability((DropoutLayer) layer.conf().getLayer());
        assertEquals(1.0 - RATE, keep);
        DropoutStage stage = new DropoutStage(keep, 1L);
        stage.useMask(mask);
        assertEquals(expectedOutput, stage.forward(Tensor.plain(input), true).plain(), "training output");
        assertEquals(expectedInputGradient, stage.backward(Tensor.plain(outputGradient), true).plain(), "input gradient");
        Tensor in = Tensor.plain(input);
        assertSame(in, stage.forward(in, false), "inference passes the values on");
        assertEquals(expectedInference, input);
    }

    @Test
    void keepsTheShareOfValuesAskedFor() {
        long[] shape = {64, 16, 28, 28};
        for (double keep : new double[] {0.9, 0.5, 0.2}) {
            DropoutStage stage = new DropoutStage(keep, 42L);
            INDArray ones = Nd4j.ones(DataType.FLOAT, shape);
            INDArray output = stage.forward(Tensor.plain(ones), true).plain();
            double n = output.length();
            double kept = output.neq(0).castTo(DataType.DOUBLE).sumNumber().doubleValue();
            // Five standard deviations of a binomial share.
            double tolerance = 5 * Math.sqrt(keep * (1 - keep) / n);
            assertEquals(keep, kept / n, tolerance, "share kept");
            // Kept values are scaled by 1 / keep, so the mean stays (as in Keras and DL4J).
            assertEquals(1.0, output.castTo(DataType.DOUBLE).meanNumber().doubleValue(), tolerance / keep, "mean");
            assertEquals((float) (1 / keep), output.maxNumber().floatValue(), 1e-6f, "kept values' scale");
        }
    }

    @Test
    void restoredStateDrawsTheSameMasks() {
        long[] shape = {7, 3, 4, 5};
        INDArray input = values(shape, 8);
        DropoutStage stage = new DropoutStage(0.5, 99L);
        stage.forward(Tensor.plain(input), true);
        long[] state = stage.randomState();
        INDArray first = stage.forward(Tensor.plain(input), true).plain().dup();
        INDArray second = stage.forward(Tensor.plain(input), true).plain().dup();
        assertFalse(first.equals(second), "each step draws a new mask");

        DropoutStage resumed = new DropoutStage(0.5, 12345L);
        resumed.restoreRandomState(state);
        assertEquals(first, resumed.forward(Tensor.plain(input), true).plain());
        assertEquals(second, resumed.forward(Tensor.plain(input), true).plain());

        DropoutStage sameSeed = new DropoutStage(0.5, 99L);
        DropoutStage otherSeed = new DropoutStage(0.5, 100L);
        INDArray expected = new DropoutStage(0.5, 99L).forward(Tensor.plain(input), true).plain();
        assertEquals(expected, sameSeed.forward(Tensor.plain(input), true).plain(), "a seed gives its masks");
        assertFalse(expected.equals(otherSeed.forward(Tensor.plain(input), true).plain()), "another seed, others");
    }

    /** Stages for two batch sizes that share a generator draw on from each other, never the same masks again. */
    @Test
    void stagesSharingAGeneratorDrawOnFromEachOther() {
        MaskRandom random = new MaskRandom(5L);
        DropoutStage full = new DropoutStage(0.5, random);
        DropoutStage last = new DropoutStage(0.5, random);
        INDArray ones = Nd4j.ones(DataType.FLOAT, 8, 40);
        INDArray fullMask = full.forward(Tensor.plain(ones), true).plain().dup();
        INDArray lastMask = last.forward(Tensor.plain(ones), true).plain().dup();
        assertFalse(fullMask.equals(lastMask));
        assertArrayEquals(full.randomState(), last.randomState());
    }

    /** Values in oneDNN's blocked layout stay in it, channels padded from 3 to 8, and meet the same mask. */
    @Test
    void keepsOneDnnsLayouts() {
        assumeTrue(OneDnn.available(), "oneDNN's natives load here");
        long[] shape = {2, 3, 4, 4};
        INDArray input = values(shape, 3);
        INDArray outputGradient = values(shape, 4);
        DropoutStage plain = new DropoutStage(0.5, 7L);
        INDArray expected = plain.forward(Tensor.plain(input), true).plain().dup();
        INDArray expectedGradient = plain.backward(Tensor.plain(outputGradient), true).plain().dup();

        OneDnnContext context = new OneDnnContext();
        dnnl_memory_desc_t blocked = OneDnnContext.desc(shape, dnnl_aBcd8b);
        DropoutStage laidOut = new DropoutStage(0.5, 7L);
        Tensor output = laidOut.forward(LaidOut.tensor(context, input, blocked), true);
        assertNotNull(output.layout(), "the output stays in oneDNN's layout");
        assertEquals(expected, output.plain(), "the mask falls on the same values whatever their layout");
        Tensor inputGradient = laidOut.backward(LaidOut.tensor(context, outputGradient, blocked), true);
        assertNotNull(inputGradient.layout(), "the gradient stays in oneDNN's layout");
        assertEquals(expectedGradient, inputGradient.plain(), "input gradient");
        assertEquals(expectedGradient, laidOut.backward(Tensor.plain(outputGradient), true).plain(), "from a plain gradient");
    }

    @Test
    void refusesWhatItCannotCompute() {
        assertThrows(IllegalArgumentException.class, () -> new DropoutStage(0.0, 1L));
        assertThrows(IllegalArgumentException.class, () -> new DropoutStage(1.5, 1L));
        DropoutStage stage = new DropoutStage(0.5, 1L);
        INDArray input = values(new long[] {2, 3}, 1);
        stage.forward(Tensor.plain(input), false);
        assertThrows(IllegalStateException.class, () -> stage.backward(Tensor.plain(input), true));
        assertThrows(IllegalArgumentException.class, () -> stage.restoreRandomState(new long[] {0, 0}));
    }
}
