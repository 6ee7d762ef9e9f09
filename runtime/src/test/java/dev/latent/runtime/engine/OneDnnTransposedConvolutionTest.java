package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A transposed convolution on oneDNN's convolution primitives computes what oneDNN's
 * deconvolution primitives compute ({@link OneDnnConvolution}, which {@link ExecutorTest} checks
 * against DL4J): output, input, weight and bias gradients, activation included.
 */
class OneDnnTransposedConvolutionTest {

    @ParameterizedTest
    @CsvSource({
        "64, 64, 7, 3, 2, true",
        "64, 32, 14, 3, 2, true",
        "4, 3, 5, 3, 2, true",
        "4, 3, 5, 2, 2, false",
        "5, 7, 6, 4, 2, true",
        "3, 1, 4, 3, 1, true"})
    void computesWhatTheDeconvolutionPrimitivesCompute(int in, int out, int size, int kernel, int stride, boolean same) {
        assumeTrue(OneDnn.available(), "oneDNN's natives load here");
        Nd4j.getRandom().setSeed(11);
        int outSize = same ? size * stride : (size - 1) * stride + kernel;
        int crop = same ? kernel - stride : 0;
        int[] before = {crop / 2, crop / 2};
        int[] after = {crop - crop / 2, crop - crop / 2};
        long[] inputShape = {3, in, size, size};
        long[] outputShape = {3, out, outSize, outSize};
        long[] kernelShape = {in, out, kernel, kernel};
        int[] strides = {stride, stride};
        INDArray input = Nd4j.rand(DataType.FLOAT, inputShape).subi(0.5);
        INDArray weights = Nd4j.rand(DataType.FLOAT, kernelShape).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.FLOAT, out).subi(0.5);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, outputShape).subi(0.5);
        ConvolutionKernel expected = new OneDnnConvolution(true, inputShape, outputShape, kernelShape, strides, before,
                after, new ActivationTanH());
        ConvolutionKernel actual = new OneDnnTransposedConvolution(inputShape, outputShape, kernelShape, strides, before,
                after, new ActivationTanH());

        assertClose(expected.forward(Tensor.plain(input), weights, bias).plain().dup(),
                actual.forward(Tensor.plain(input), weights, bias).plain(), "output");
        INDArray[] weightGradients = {Nd4j.create(DataType.FLOAT, kernelShape), Nd4j.create(DataType.FLOAT, kernelShape)};
        INDArray[] biasGradients = {Nd4j.create(DataType.FLOAT, out), Nd4j.create(DataType.FLOAT, out)};
        INDArray expectedInputGradient = expected.backward(Tensor.plain(gradient), false, weights, weightGradients[0],
                biasGradients[0], true).plain().dup();
        INDArray actualInputGradient = actual.backward(Tensor.plain(gradient), false, weights, weightGradients[1],
                biasGradients[1], true).plain();
        assertClose(expectedInputGradient, actualInputGradient, "input gradient");
        assertClose(weightGradients[0], weightGradients[1], "weight gradient");
        assertClose(biasGradients[0], biasGradients[1], "bias gradient");
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference < 1e-4 * Math.max(1, expected.amaxNumber().doubleValue()), what + " differs by " + difference);
    }
}
