package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * oneDNN driven directly computes what libnd4j's convolution ops compute, forward and backward;
 * {@link DirectTrainingStepTest} checks whole networks through it against DL4J's own training.
 */
class OneDnnConvolutionTest {

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void loadsWhereTheBuildHasItsNatives() {
        // Without this, a missing native would quietly fall back to libnd4j's ops.
        assertTrue(OneDnn.available());
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference < 1e-4, what + " differs by " + difference);
    }

    @Test
    void paddedConvolutionMatchesLibnd4j() {
        if (!OneDnn.available()) {
            return;
        }
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.rand(DataType.FLOAT, 4, 3, 9, 9);
        INDArray weights = Nd4j.rand(DataType.FLOAT, 5, 3, 3, 3).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.FLOAT, 5);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, 4, 5, 5, 5).subi(0.5);
        // Stride 2, padding 1: 9 -> 5.
        int[] arguments = {3, 3, 2, 2, 1, 1, 1, 1, 0, 0, 1};
        INDArray expected = Nd4j.create(DataType.FLOAT, 4, 5, 5, 5);
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(input, weights, bias).addOutputs(expected)
                .addIntegerArguments(arguments).build());
        INDArray[] expectedGradients = {Nd4j.create(DataType.FLOAT, 4, 3, 9, 9), Nd4j.create(DataType.FLOAT, 5, 3, 3, 3),
                Nd4j.create(DataType.FLOAT, 5)};
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(input, weights, bias, gradient)
                .addOutputs(expectedGradients).addIntegerArguments(arguments).build());

        OneDnnConvolution conv = new OneDnnConvolution(false, input.shape(), expected.shape(), weights.shape(),
                new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1});
        INDArray output = Nd4j.create(DataType.FLOAT, 4, 5, 5, 5);
        conv.forward(input, weights, bias, output);
        assertClose(expected, output, "output");
        INDArray inputGradient = Nd4j.create(DataType.FLOAT, 4, 3, 9, 9);
        INDArray weightGradient = Nd4j.create(DataType.FLOAT, 5, 3, 3, 3);
        INDArray biasGradient = Nd4j.create(DataType.FLOAT, 5);
        conv.backward(input, weights, gradient, weightGradient, biasGradient, inputGradient);
        assertClose(expectedGradients[0], inputGradient, "input gradient");
        assertClose(expectedGradients[1], weightGradient, "weight gradient");
        assertClose(expectedGradients[2], biasGradient, "bias gradient");
    }
}
