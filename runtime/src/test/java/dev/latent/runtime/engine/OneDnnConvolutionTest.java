package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * oneDNN driven directly computes what libnd4j's convolution and pooling ops compute, forward and
 * backward, activation included, whatever layouts its tensors come and go in;
 * {@link ExecutorTest} checks whole networks through it against DL4J's own training.
 */
class OneDnnConvolutionTest {

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void loadsWhereTheBuildHasItsNatives() {
        // Without this, a missing native would quietly fall back to libnd4j's ops.
        assertTrue(OneDnn.available());
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference < 1e-4, what + " differs by " + difference);
    }

    private static void exec(String op, INDArray[] inputs, INDArray[] outputs, int... arguments) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(inputs).addOutputs(outputs).addIntegerArguments(arguments).build());
    }

    @Test
    void paddedConvolutionMatchesLibnd4j() {
        assumeTrue(OneDnn.available(), "oneDNN's natives load here");
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.rand(DataType.FLOAT, 4, 3, 9, 9);
        INDArray weights = Nd4j.rand(DataType.FLOAT, 5, 3, 3, 3).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.FLOAT, 5);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, 4, 5, 5, 5).subi(0.5);
        // Stride 2, padding 1: 9 -> 5.
        int[] arguments = {3, 3, 2, 2, 1, 1, 1, 1, 0, 0, 1};
        INDArray expected = Nd4j.create(DataType.FLOAT, 4, 5, 5, 5);
        exec("conv2d", new INDArray[] {input, weights, bias}, new INDArray[] {expected}, arguments);
        INDArray[] expectedGradients = {Nd4j.create(DataType.FLOAT, 4, 3, 9, 9), Nd4j.create(DataType.FLOAT, 5, 3, 3, 3),
                Nd4j.create(DataType.FLOAT, 5)};
        exec("conv2d_bp", new INDArray[] {input, weights, bias, gradient}, expectedGradients, arguments);

        OneDnnConvolution conv = new OneDnnConvolution(false, input.shape(), expected.shape(), weights.shape(),
                new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, null);
        assertClose(expected, conv.forward(Tensor.plain(input), weights, bias).plain(), "output");
        INDArray weightGradient = Nd4j.create(DataType.FLOAT, 5, 3, 3, 3);
        INDArray biasGradient = Nd4j.create(DataType.FLOAT, 5);
        Tensor inputGradient = conv.backward(Tensor.plain(gradient), false, weights, weightGradient, biasGradient, true);
        assertClose(expectedGradients[0], inputGradient.plain(), "input gradient");
        assertClose(expectedGradients[1], weightGradient, "weight gradient");
        assertClose(expectedGradients[2], biasGradient, "bias gradient");
    }

    /**
     * Two layers passing their values in oneDNN's layouts, a ReLU inside the first and a sigmoid
     * inside the second, then max pooling: the same values and gradients as libnd4j's ops on NCHW.
     */
    @Test
    void layersHandOnTheirLayoutsAndComputeTheirActivations() {
        assumeTrue(OneDnn.available(), "oneDNN's natives load here");
        Nd4j.getRandom().setSeed(4);
        long n = 8;
        INDArray input = Nd4j.rand(DataType.FLOAT, n, 3, 10, 10);
        INDArray w1 = Nd4j.rand(DataType.FLOAT, 16, 3, 3, 3).subi(0.5);
        INDArray b1 = Nd4j.rand(DataType.FLOAT, 16).subi(0.5);
        INDArray w2 = Nd4j.rand(DataType.FLOAT, 32, 16, 3, 3).subi(0.5).muli(0.2);
        INDArray b2 = Nd4j.rand(DataType.FLOAT, 32).subi(0.5);
        INDArray pooledGradient = Nd4j.rand(DataType.FLOAT, n, 32, 5, 5).subi(0.5);
        int[] same = {3, 3, 1, 1, 0, 0, 1, 1, 1, 0, 1};
        int[] pool = {2, 2, 2, 2, 0, 0, 1, 1, 1, 0, 0};

        // libnd4j, NCHW, activations and their derivatives spelled out.
        INDArray z1 = Nd4j.create(DataType.FLOAT, n, 16, 10, 10);
        exec("conv2d", new INDArray[] {input, w1, b1}, new INDArray[] {z1}, same);
        INDArray a1 = Transforms.relu(z1, true);
        INDArray z2 = Nd4j.create(DataType.FLOAT, n, 32, 10, 10);
        exec("conv2d", new INDArray[] {a1, w2, b2}, new INDArray[] {z2}, same);
        INDArray a2 = Transforms.sigmoid(z2, true);
        INDArray pooled = Nd4j.create(DataType.FLOAT, n, 32, 5, 5);
        exec("maxpool2d", new INDArray[] {a2}, new INDArray[] {pooled}, pool);
        INDArray a2Gradient = Nd4j.create(DataType.FLOAT, n, 32, 10, 10);
        exec("maxpool2d_bp", new INDArray[] {a2, pooledGradient}, new INDArray[] {a2Gradient}, pool);
        INDArray z2Gradient = a2Gradient.mul(a2).muli(a2.rsub(1));
        INDArray[] second = {Nd4j.create(DataType.FLOAT, n, 16, 10, 10), Nd4j.create(DataType.FLOAT, 32, 16, 3, 3),
                Nd4j.create(DataType.FLOAT, 32)};
        exec("conv2d_bp", new INDArray[] {a1, w2, b2, z2Gradient}, second, same);
        INDArray z1Gradient = second[0].mul(Transforms.step(a1));
        INDArray[] first = {Nd4j.create(DataType.FLOAT, n, 3, 10, 10), Nd4j.create(DataType.FLOAT, 16, 3, 3, 3),
                Nd4j.create(DataType.FLOAT, 16)};
        exec("conv2d_bp", new INDArray[] {input, w1, b1, z1Gradient}, first, same);

        long[] hidden = {n, 16, 10, 10};
        long[] out = {n, 32, 10, 10};
        OneDnnConvolution conv1 = new OneDnnConvolution(false, input.shape(), hidden, w1.shape(), new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new ActivationReLU());
        OneDnnConvolution conv2 = new OneDnnConvolution(false, hidden, out, w2.shape(), new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new ActivationSigmoid());
        OneDnnPooling pooling = new OneDnnPooling(out, pooled.shape(), new int[] {2, 2}, new int[] {2, 2},
                new int[] {0, 0}, new int[] {0, 0});
        Tensor h = conv1.forward(Tensor.plain(input), w1, b1);
        assertNotNull(h.layout());
        Tensor a = conv2.forward(h, w2, b2);
        Tensor p = pooling.forward(a);
        assertClose(a1, h.plain(), "first layer's output");
        assertClose(a2, a.plain(), "second layer's output");
        assertClose(pooled, p.plain(), "pooled output");

        INDArray w2Gradient = Nd4j.create(DataType.FLOAT, 32, 16, 3, 3);
        INDArray b2Gradient = Nd4j.create(DataType.FLOAT, 32);
        INDArray w1Gradient = Nd4j.create(DataType.FLOAT, 16, 3, 3, 3);
        INDArray b1Gradient = Nd4j.create(DataType.FLOAT, 16);
        Tensor g = pooling.backward(Tensor.plain(pooledGradient));
        assertClose(a2Gradient, g.plain(), "pooling's input gradient");
        g = conv2.backward(g, false, w2, w2Gradient, b2Gradient, true);
        assertClose(second[0], g.plain(), "second layer's input gradient");
        assertClose(second[1], w2Gradient, "second layer's weight gradient");
        assertClose(second[2], b2Gradient, "second layer's bias gradient");
        conv1.backward(g, false, w1, w1Gradient, b1Gradient, false);
        assertClose(first[1], w1Gradient, "first layer's weight gradient");
        assertClose(first[2], b1Gradient, "first layer's bias gradient");
    }

    /** A one-channel output, which oneDNN computes channels-last, after a layer in blocked layout. */
    /** Grey and RGB outputs run channels-last; five channels, blocked; all give libnd4j's values. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3, 5})
    void aFewChannelOutputMatchesLibnd4j(int c) {
        assumeTrue(OneDnn.available(), "oneDNN's natives load here");
        Nd4j.getRandom().setSeed(5);
        long n = 6;
        INDArray input = Nd4j.rand(DataType.FLOAT, n, 3, 12, 12);
        INDArray w1 = Nd4j.rand(DataType.FLOAT, 16, 3, 3, 3).subi(0.5);
        INDArray b1 = Nd4j.rand(DataType.FLOAT, 16).subi(0.5);
        INDArray w2 = Nd4j.rand(DataType.FLOAT, c, 16, 3, 3).subi(0.5).muli(0.3);
        INDArray b2 = Nd4j.rand(DataType.FLOAT, c).subi(0.5);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, n, c, 12, 12).subi(0.5);
        int[] same = {3, 3, 1, 1, 0, 0, 1, 1, 1, 0, 1};
        INDArray z1 = Nd4j.create(DataType.FLOAT, n, 16, 12, 12);
        exec("conv2d", new INDArray[] {input, w1, b1}, new INDArray[] {z1}, same);
        INDArray a1 = Transforms.relu(z1, true);
        INDArray z2 = Nd4j.create(DataType.FLOAT, n, c, 12, 12);
        exec("conv2d", new INDArray[] {a1, w2, b2}, new INDArray[] {z2}, same);
        INDArray[] expected = {Nd4j.create(DataType.FLOAT, n, 16, 12, 12), Nd4j.create(DataType.FLOAT, c, 16, 3, 3),
                Nd4j.create(DataType.FLOAT, c)};
        exec("conv2d_bp", new INDArray[] {a1, w2, b2, gradient}, expected, same);

        OneDnnConvolution hidden = new OneDnnConvolution(false, input.shape(), z1.shape(), w1.shape(), new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new ActivationReLU());
        OneDnnConvolution output = new OneDnnConvolution(false, z1.shape(), z2.shape(), w2.shape(), new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, null);
        Tensor h = hidden.forward(Tensor.plain(input), w1, b1);
        assertClose(z2, output.forward(h, w2, b2).plain(), c + "-channel output");
        INDArray weightGradient = Nd4j.create(DataType.FLOAT, c, 16, 3, 3);
        INDArray biasGradient = Nd4j.create(DataType.FLOAT, c);
        Tensor inputGradient = output.backward(Tensor.plain(gradient), false, w2, weightGradient, biasGradient, true);
        assertClose(expected[0], inputGradient.plain(), "input gradient");
        assertClose(expected[1], weightGradient, "weight gradient");
        assertClose(expected[2], biasGradient, "bias gradient");
    }
}
