package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-layer timings of the seed conv model's two transposed convolutions (3x3, stride 2, SAME, a
 * batch of 64: 64 to 64 channels on 7x7, 64 to 32 on 14x14), through oneDNN's deconvolution
 * primitives ({@link OneDnnConvolution}) and through its convolution primitives run backward
 * ({@link OneDnnTransposedConvolution}): forward, weight gradient, input gradient, in interleaved
 * rounds, the order rotated each round; medians and ranges in ms and GFLOP/s. Not a unit test:
 * {@code mvn -B -o -Pall-tests -pl runtime -am -Dtest=TransposedConvolutionBenchTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dlatent.bench=true verify}.
 */
@Tag("slow")
@EnabledIfSystemProperty(named = "latent.bench", matches = "true")
class TransposedConvolutionBenchTest {
    private static final int BATCH = 64;
    private static final int ROUNDS = Integer.getInteger("latent.bench.rounds", 9);
    private static final int REPEATS = 20;

    @Test
    void timesBothWaysPerLayer() {
        assumeTrue(OneDnn.available(), "oneDNN's natives load here");
        time("up1 64->64 7x7->14x14", 64, 64, 7);
        time("up2 64->32 14x14->28x28", 64, 32, 14);
    }

    private void time(String name, int in, int out, int size) {
        Nd4j.getRandom().setSeed(7);
        long[] inputShape = {BATCH, in, size, size};
        long[] outputShape = {BATCH, out, size * 2, size * 2};
        long[] kernel = {in, out, 3, 3};
        int[] stride = {2, 2};
        int[] before = {0, 0};
        int[] after = {1, 1};
        INDArray input = Nd4j.rand(DataType.FLOAT, inputShape).subi(0.5);
        INDArray weights = Nd4j.rand(DataType.FLOAT, kernel).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.FLOAT, out);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, outputShape).subi(0.5);
        ConvolutionKernel[] ways = {
            new OneDnnConvolution(true, inputShape, outputShape, kernel, stride, before, after, null),
            new OneDnnTransposedConvolution(inputShape, outputShape, kernel, stride, before, after, null)};
        String[] names = {"deconvolution primitives", "convolution primitives"};
        INDArray[] weightGradients = {Nd4j.create(DataType.FLOAT, kernel), Nd4j.create(DataType.FLOAT, kernel)};
        INDArray[] biasGradients = {Nd4j.create(DataType.FLOAT, out), Nd4j.create(DataType.FLOAT, out)};
        // Both ways compute the same layer: the timings compare like with like.
        INDArray first = ways[0].forward(Tensor.plain(input), weights, bias).plain().dup();
        INDArray second = ways[1].forward(Tensor.plain(input), weights, bias).plain();
        assertTrue(first.sub(second).amaxNumber().doubleValue() < 1e-3, name + ": outputs differ");
        Tensor gradientTensor = Tensor.plain(gradient);
        INDArray firstInputGradient = ways[0].backward(gradientTensor, true, weights, weightGradients[0],
                biasGradients[0], true).plain().dup();
        INDArray secondInputGradient = ways[1].backward(gradientTensor, true, weights, weightGradients[1],
                biasGradients[1], true).plain();
        assertTrue(firstInputGradient.sub(secondInputGradient).amaxNumber().doubleValue() < 1e-3, name + ": input gradients differ");
        assertTrue(weightGradients[0].sub(weightGradients[1]).amaxNumber().doubleValue() < 1e-2, name + ": weight gradients differ");
        assertTrue(biasGradients[0].sub(biasGradients[1]).amaxNumber().doubleValue() < 1e-2, name + ": bias gradients differ");

        List<List<double[]>> samples = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < ways.length; k++) {
                int way = (round + k) % ways.length;
                ConvolutionKernel layer = ways[way];
                long start = System.nanoTime();
                for (int r = 0; r < REPEATS; r++) {
                    layer.forward(Tensor.plain(input), weights, bias);
                }
                long forwardDone = System.nanoTime();
                for (int r = 0; r < REPEATS; r++) {
                    layer.backward(gradientTensor, true, weights, weightGradients[way], biasGradients[way], false);
                }
                long weightsDone = System.nanoTime();
                for (int r = 0; r < REPEATS; r++) {
                    layer.backward(gradientTensor, true, weights, weightGradients[way], biasGradients[way], true);
                }
                long bothDone = System.nanoTime();
                double forward = (forwardDone - start) / 1e6 / REPEATS;
                double weightGradient = (weightsDone - forwardDone) / 1e6 / REPEATS;
                double inputGradient = (bothDone - weightsDone) / 1e6 / REPEATS - weightGradient;
                samples.get(way).add(new double[] {forward, weightGradient, inputGradient});
            }
        }
        double gflop = 2.0 * BATCH * in * out * 9 * size * size / 1e9;
        System.out.printf("%s, %.0f MFLOP per pass, %d rounds of %d:%n", name, gflop * 1e3, ROUNDS, REPEATS);
        String[] passes = {"forward", "weight gradient", "input gradient"};
        for (int way = 0; way < ways.length; way++) {
            StringBuilder line = new StringBuilder(String.format("  %-26s", names[way]));
            for (int pass = 0; pass < passes.length; pass++) {
                double[] values = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    values[round] = samples.get(way).get(round)[pass];
                }
                Arrays.sort(values);
                double median = values[ROUNDS / 2];
                line.append(String.format(" %s %.2f ms (%.2f-%.2f) %.0f GFLOP/s;", passes[pass], median, values[0],
                        values[ROUNDS - 1], gflop / median * 1e3));
            }
            System.out.println(line);
        }
    }
}
