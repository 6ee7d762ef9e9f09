package dev.latent.runtime.engine;

import dev.latent.runtime.GraphConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.LossFunction;
import dev.latent.dsl.Optimizer;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.TrainingSettings;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntFunction;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The direct step trains exactly as DL4J's own {@code fit} does, within float rounding: the same
 * losses and parameters step after step, for every optimizer, loss and activation, on dense and
 * convolutional networks; and networks it does not compute stay on DL4J's {@code fit}.
 */
class ExecutorTest {
    private static final Dataset DIGITS = Mnist.digits(400);
    private static final long[] SAMPLE = {1, 28, 28};

    private static INDArray batch(int step, int size) {
        return DIGITS.features().get(NDArrayIndex.interval((long) step * size, (long) step * size + size));
    }

    /** Trains two engines of {@code conf} side by side on digits, one through DL4J's fit, and compares them. */
    private static void trainsLikeDl4j(ComputationGraphConfiguration conf, int steps) {
        trainsLikeDl4j(conf, steps, step -> batch(step % 10, 32));
    }

    /**
     * Trains two engines of {@code conf} side by side, one through DL4J's fit, on the clean
     * batches {@code cleanBatch} gives for each step, and compares losses, parameters, the
     * reconstruction (the direct step's forward pass against DL4J's output) and gradient norms.
     */
    private static void trainsLikeDl4j(ComputationGraphConfiguration conf, int steps, IntFunction<INDArray> cleanBatch) {
        GraphEngine dl4j = GraphEngine.create(conf.clone(), conf.clone(), conf.clone());
        GraphEngine direct = GraphEngine.create(conf.clone(), conf.clone(), conf.clone());
        dl4j.useDl4jFit();
        assertEquals(dl4j.parameters(), direct.parameters(), "same seed, same initial weights");
        INDArray clean = null;
        for (int step = 0; step < steps; step++) {
            clean = cleanBatch.apply(step);
            INDArray noisy = clean.mul(0.8).addi(0.05 * (step % 3));
            double expected = dl4j.fitBatch(noisy, clean);
            double actual = direct.fitBatch(noisy, clean);
            assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)), "loss at step " + step);
        }
        assertTrue(direct.trainsWithExecutor(), "the direct step trained");
        double difference = dl4j.parameters().sub(direct.parameters()).amaxNumber().doubleValue();
        double largest = dl4j.parameters().amaxNumber().doubleValue();
        assertTrue(difference <= 1e-4 * largest, "parameters differ by " + difference + " after " + steps + " steps");
        assertEquals(dl4j.graph().getConfiguration().getIterationCount(), direct.graph().getConfiguration().getIterationCount());

        // The same trained parameters in both, so the two forward passes and gradients can be compared exactly.
        direct.setParameters(dl4j.parameters());
        INDArray expectedOutput = dl4j.reconstruct(clean);
        assertTrue(expectedOutput.sub(direct.reconstruct(clean)).amaxNumber().doubleValue() < 1e-5, "reconstructions agree");
        Map<String, Double> expectedNorms = dl4j.gradientNorms(clean, clean);
        Map<String, Double> actualNorms = direct.gradientNorms(clean, clean);
        assertEquals(expectedNorms.keySet(), actualNorms.keySet());
        expectedNorms.forEach((layer, norm) -> assertEquals(norm, actualNorms.get(layer), 1e-4 * norm + 1e-9,
                "gradient norm of " + layer));
    }

    private static ComputationGraphConfiguration dense(TrainingSettings training, LossSettings loss, Activation hidden,
            Activation output, DenseLayer.Builder... extra) {
        var builder = GraphConfigs.builder(training)
                .addInputs("input")
                .setInputTypes(InputType.convolutional(28, 28, 1))
                .addVertex("flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(28, 28, 1)), "input")
                .addLayer("hidden", new DenseLayer.Builder().nIn(784).nOut(48).activation(hidden).build(), "flatten")
                .addLayer("code", new DenseLayer.Builder().nIn(48).nOut(12).activation(hidden).build(), "hidden")
                .addLayer("pixels", new DenseLayer.Builder().nIn(12).nOut(784).activation(output).build(), "code")
                .addLayer("loss", GraphConfigs.lossLayer(loss), "pixels");
        return builder.setOutputs("loss").build();
    }

    private static TrainingSettings training(Optimizer optimizer, double learningRate) {
        return new TrainingSettings(1, 32, optimizer, learningRate, 7L, 0.2, 0);
    }

    @ParameterizedTest
    @EnumSource(Optimizer.class)
    void trainsAsDl4jDoesWithEveryOptimizer(Optimizer optimizer) {
        double rate = optimizer == Optimizer.SGD ? 1.0 : optimizer == Optimizer.NESTEROVS ? 0.1 : 1e-3;
        trainsLikeDl4j(dense(training(optimizer, rate), LossSettings.of(LossFunction.MSE), Activation.RELU,
                Activation.SIGMOID), 30);
    }

    @ParameterizedTest
    @EnumSource(LossFunction.class)
    void trainsAsDl4jDoesWithEveryLoss(LossFunction function) {
        trainsLikeDl4j(dense(training(Optimizer.ADAM, 1e-3), LossSettings.of(function), Activation.RELU,
                Activation.SIGMOID), 20);
    }

    @Test
    void batchesOfTwoSizesEachKeepTheirOwnArrays() {
        // As an epoch's short last batch alternates with full ones.
        TinyConvNetwork network = new TinyConvNetwork();
        ComputationGraphConfiguration conf = network.configuration(GraphPart.AUTOENCODER, network.training(), network.loss());
        Nd4j.getRandom().setSeed(5);
        INDArray images = Nd4j.rand(DataType.FLOAT, 12, TinyConvNetwork.CHANNELS, TinyConvNetwork.SIDE, TinyConvNetwork.SIDE);
        trainsLikeDl4j(conf, 12, step -> step % 3 == 2 ? images.get(NDArrayIndex.interval(0, 5)) : images);
    }

    @Test
    void trainsAsDl4jDoesWithOtherActivations() {
        LossSettings mse = LossSettings.of(LossFunction.MSE);
        trainsLikeDl4j(dense(training(Optimizer.ADAM, 1e-3), mse, Activation.TANH, Activation.IDENTITY), 20);
        trainsLikeDl4j(dense(training(Optimizer.ADAM, 1e-3), mse, Activation.ELU, Activation.TANH), 20);
        trainsLikeDl4j(dense(training(Optimizer.ADAM, 1e-3), mse, Activation.LEAKYRELU, Activation.RELU), 20);
    }

    /** Trains the conv network of {@code conf} both ways on random images of {@code shape} and compares. */
    private static void convTrainsLikeDl4j(ComputationGraphConfiguration conf, long[] shape, int steps) {
        Nd4j.getRandom().setSeed(11);
        INDArray images = Nd4j.rand(DataType.FLOAT, shape);
        trainsLikeDl4j(conf, steps, step -> images);
    }

    @Test
    void convolutionalNetworkTrainsAsDl4jDoes() {
        TinyConvNetwork network = new TinyConvNetwork();
        ComputationGraphConfiguration conf = network.configuration(GraphPart.AUTOENCODER, network.training(), network.loss());
        convTrainsLikeDl4j(conf, new long[] {8, TinyConvNetwork.CHANNELS, TinyConvNetwork.SIDE, TinyConvNetwork.SIDE}, 15);
    }

    /** The seed's conv model in small: convolutions, pooling, a dense code, transposed convolutions. */
    @ParameterizedTest
    @EnumSource(value = ConvolutionMode.class, names = {"Same", "Truncate"})
    void convolutionsWithDenseCodeTrainAsDl4jDoes(ConvolutionMode mode) {
        boolean same = mode == ConvolutionMode.Same;
        // VALID (Truncate) keeps the size through explicit padding, and the transposed convolution
        // doubles it with a 2x2 kernel; SAME does both through its mode.
        int side = 12;
        int pooled = side / 2;
        int padding = same ? 0 : 1;
        int upKernel = same ? 3 : 2;
        var conf = GraphConfigs.builder(training(Optimizer.ADAM, 3e-3))
                .addInputs("input")
                .setInputTypes(InputType.convolutional(side, side, 2))
                .addLayer("conv1", new ConvolutionLayer.Builder().nIn(2).nOut(4).kernelSize(3, 3).convolutionMode(mode)
                        .padding(padding, padding).activation(Activation.RELU).build(), "input")
                .addLayer("pool1", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .convolutionMode(mode).build(), "conv1")
                .addVertex("flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(pooled, pooled, 4)), "pool1")
                .addLayer("code", new DenseLayer.Builder().nIn(pooled * pooled * 4).nOut(10).activation(Activation.RELU).build(),
                        "flatten")
                .addLayer("expand", new DenseLayer.Builder().nIn(10).nOut(pooled * pooled * 4).activation(Activation.RELU).build(),
                        "code")
                .addVertex("unflatten", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(pooled, pooled, 4)), "expand")
                .addLayer("up", new Deconvolution2D.Builder().nIn(4).nOut(3).kernelSize(upKernel, upKernel).stride(2, 2)
                        .convolutionMode(mode)
                        .activation(Activation.TANH).build(), "unflatten")
                .addLayer("pixels", new ConvolutionLayer.Builder().nIn(3).nOut(2).kernelSize(3, 3).padding(padding, padding)
                        .convolutionMode(mode).activation(Activation.SIGMOID).build(), "up")
                .addLayer("loss", GraphConfigs.lossLayer(LossSettings.of(LossFunction.MSE)),
                        new CnnToFeedForwardPreProcessor(side, side, 2), "pixels")
                .setOutputs("loss")
                .build();
        convTrainsLikeDl4j(conf, new long[] {6, 2, side, side}, 12);
    }

    /**
     * Shapes the seed does not have, in oneDNN's layouts: 3 input channels, channel counts that
     * are not multiples of 16, a strided 5x5 convolution, a 3x3 pooling of stride 1 with SAME
     * padding on an odd size, a 4x4 transposed convolution with stride 2, and leaky ReLU, ELU and
     * tanh inside the convolutions; trained with batches of 7 and 3 alternating.
     */
    @Test
    void unusualConvolutionalShapesTrainAsDl4jDoes() {
        int side = 14;
        var conf = GraphConfigs.builder(training(Optimizer.ADAM, 3e-3))
                .addInputs("input")
                .setInputTypes(InputType.convolutional(side, side, 3))
                .addLayer("wide", new ConvolutionLayer.Builder().nIn(3).nOut(20).kernelSize(5, 5).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.LEAKYRELU).build(), "input")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(1, 1)
                        .convolutionMode(ConvolutionMode.Same).build(), "wide")
                .addLayer("narrow", new ConvolutionLayer.Builder().nIn(20).nOut(5).kernelSize(1, 1)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.ELU).build(), "pool")
                .addLayer("up", new Deconvolution2D.Builder().nIn(5).nOut(7).kernelSize(4, 4).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "narrow")
                .addLayer("pixels", new ConvolutionLayer.Builder().nIn(7).nOut(3).kernelSize(3, 3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.SIGMOID).build(), "up")
                .addLayer("loss", GraphConfigs.lossLayer(LossSettings.of(LossFunction.MSE)),
                        new CnnToFeedForwardPreProcessor(side, side, 3), "pixels")
                .setOutputs("loss")
                .build();
        Nd4j.getRandom().setSeed(9);
        INDArray images = Nd4j.rand(DataType.FLOAT, 7, 3, side, side);
        trainsLikeDl4j(conf, 12, step -> step % 2 == 1 ? images.get(NDArrayIndex.interval(0, 3)) : images);
    }

    /** Keras' own convolutional autoencoder: convolutions with pooling down, upsampling back. */
    @Test
    void upsamplingTrainsAsDl4jDoes() {
        int side = 12;
        var conf = GraphConfigs.builder(training(Optimizer.ADAM, 3e-3))
                .addInputs("input")
                .setInputTypes(InputType.convolutional(side, side, 1))
                .addLayer("conv1", new ConvolutionLayer.Builder().nIn(1).nOut(8).kernelSize(3, 3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "input")
                .addLayer("pool1", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).build(), "conv1")
                .addLayer("conv2", new ConvolutionLayer.Builder().nIn(8).nOut(4).kernelSize(3, 3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build(), "pool1")
                .addLayer("up", new Upsampling2D.Builder().size(new int[] {2, 4}).build(), "conv2")
                .addLayer("pixels", new ConvolutionLayer.Builder().nIn(4).nOut(1).kernelSize(3, 3).stride(1, 2)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.SIGMOID).build(), "up")
                .addLayer("loss", GraphConfigs.lossLayer(LossSettings.of(LossFunction.MSE)),
                        new CnnToFeedForwardPreProcessor(side, side, 1), "pixels")
                .setOutputs("loss")
                .build();
        Nd4j.getRandom().setSeed(10);
        INDArray images = Nd4j.rand(DataType.FLOAT, 8, 1, side, side);
        trainsLikeDl4j(conf, 12, step -> images);
    }

    @Test
    void generatedDenseNetworkTrainsThroughTheStepAndAsDl4jDoes() {
        SmallDenseNetwork network = new SmallDenseNetwork();
        GraphEngine dl4j = GraphEngine.create(network, network.training(), network.loss());
        GraphEngine direct = GraphEngine.create(network, network.training(), network.loss());
        dl4j.useDl4jFit();
        for (int step = 0; step < 40; step++) {
            INDArray clean = batch(step % 12, 16);
            assertEquals(dl4j.fitBatch(clean, clean), direct.fitBatch(clean, clean), 1e-5, "loss at step " + step);
        }
        assertTrue(direct.trainsWithExecutor());
        assertTrue(dl4j.parameters().sub(direct.parameters()).amaxNumber().doubleValue() < 1e-4);
        INDArray probe = batch(0, 16);
        assertTrue(dl4j.encode(probe).sub(direct.encode(probe)).amaxNumber().doubleValue() < 1e-4, "codes agree");
    }

    @Test
    void lossFallsOnDigits() {
        SmallDenseNetwork network = new SmallDenseNetwork();
        GraphEngine engine = GraphEngine.create(network, network.training(), network.loss());
        double first = engine.fitBatch(batch(0, 16), batch(0, 16));
        double last = first;
        for (int epoch = 0; epoch < 5; epoch++) {
            for (int step = 0; step < 20; step++) {
                last = engine.fitBatch(batch(step, 16), batch(step, 16));
            }
        }
        assertTrue(engine.trainsWithExecutor());
        assertTrue(last < 0.6 * first, "loss fell from " + first + " to only " + last);
    }

    @Test
    void savedAndResumedMidwayTrainsOnExactlyAsUninterrupted(@TempDir Path directory) throws Exception {
        SmallDenseNetwork network = new SmallDenseNetwork();
        GraphEngine straight = GraphEngine.create(network, network.training(), network.loss());
        GraphEngine interrupted = GraphEngine.create(network, network.training(), network.loss());
        for (int step = 0; step < 10; step++) {
            straight.fitBatch(batch(step, 16), batch(step, 16));
            interrupted.fitBatch(batch(step, 16), batch(step, 16));
        }
        Path zip = directory.resolve("checkpoint.zip");
        interrupted.save(zip, Map.of());
        GraphEngine resumed = GraphEngine.load(zip);
        for (int step = 10; step < 20; step++) {
            assertEquals(straight.fitBatch(batch(step, 16), batch(step, 16)),
                    resumed.fitBatch(batch(step, 16), batch(step, 16)), 0.0, "loss at step " + step);
        }
        assertTrue(resumed.trainsWithExecutor());
        assertEquals(straight.parameters(), resumed.parameters());
    }

    /** A sequence network of every 1-D layer, {@code [n, 3, 24]}, as the processor generates one. */
    private static ComputationGraphConfiguration sequences(ConvolutionMode mode, Activation activation) {
        return GraphConfigs.builder(training(Optimizer.ADAM, 3e-3))
                .addInputs("input")
                .setInputTypes(InputType.recurrent(3, 24))
                .addLayer("conv1", new org.deeplearning4j.nn.conf.layers.Convolution1DLayer.Builder().kernelSize(5).stride(1)
                        .nOut(8).convolutionMode(mode).activation(activation).build(), "input")
                .addLayer("pool", new org.deeplearning4j.nn.conf.layers.Subsampling1DLayer.Builder(PoolingType.MAX)
                        .kernelSize(2).stride(2).convolutionMode(mode).build(), "conv1")
                .addLayer("up", new org.deeplearning4j.nn.conf.layers.Upsampling1D.Builder(2).build(), "pool")
                .addLayer("values", new org.deeplearning4j.nn.conf.layers.Convolution1DLayer.Builder().kernelSize(3).stride(1)
                        .nOut(3).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), "up")
                .addVertex("flat", new org.deeplearning4j.nn.conf.graph.ReshapeVertex(-1, 3 * 24), "values")
                .addLayer("loss", GraphConfigs.lossLayer(LossSettings.of(LossFunction.MSE)), "flat")
                .setOutputs("loss")
                .build();
    }

    @Test
    void oneDimensionalLayersTrainAsDl4jDoes() {
        Nd4j.getRandom().setSeed(11);
        INDArray series = Nd4j.rand(DataType.FLOAT, 16, 3, 24).subi(0.5);
        trainsLikeDl4j(sequences(ConvolutionMode.Same, Activation.RELU), 15, step -> series);
        trainsLikeDl4j(sequences(ConvolutionMode.Same, Activation.TANH), 15, step -> series);
    }

    @Test
    void aNetworkWithDropoutResumesFromItsFileBitForBit(@TempDir Path directory) throws Exception {
        ComputationGraphConfiguration conf = GraphConfigs.builder(training(Optimizer.ADAM, 1e-3))
                .addInputs("input")
                .setInputTypes(InputType.convolutional(28, 28, 1))
                .addVertex("flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(28, 28, 1)), "input")
                .addLayer("hidden", new DenseLayer.Builder().nIn(784).nOut(32).activation(Activation.RELU).build(), "flatten")
                .addLayer("drop", new org.deeplearning4j.nn.conf.layers.DropoutLayer.Builder(0.7).build(), "hidden")
                .addLayer("pixels", new DenseLayer.Builder().nIn(32).nOut(784).activation(Activation.SIGMOID).build(), "drop")
                .addLayer("loss", GraphConfigs.lossLayer(LossSettings.of(LossFunction.MSE)), "pixels")
                .setOutputs("loss").build();
        GraphEngine straight = GraphEngine.create(conf.clone(), conf.clone(), conf.clone());
        GraphEngine interrupted = GraphEngine.create(conf.clone(), conf.clone(), conf.clone());
        for (int step = 0; step < 6; step++) {
            straight.fitBatch(batch(step, 16), batch(step, 16));
            interrupted.fitBatch(batch(step, 16), batch(step, 16));
        }
        assertTrue(straight.trainsWithExecutor());
        Path zip = directory.resolve("checkpoint.zip");
        interrupted.save(zip, Map.of());
        GraphEngine resumed = GraphEngine.load(zip);
        for (int step = 6; step < 12; step++) {
            assertEquals(straight.fitBatch(batch(step, 16), batch(step, 16)),
                    resumed.fitBatch(batch(step, 16), batch(step, 16)), 0.0, "loss at step " + step);
        }
        assertEquals(straight.parameters(), resumed.parameters());
    }

    @Test
    void l2TrainsAsDl4jDoes() {
        TrainingSettings l2 = new TrainingSettings(1, 32, Optimizer.ADAM, 1e-3, 7L, 0.2, 0).withL2(1e-3);
        trainsLikeDl4j(dense(l2, LossSettings.of(LossFunction.MSE), Activation.RELU, Activation.SIGMOID), 20);
    }

    @Test
    void gradientClippingTrainsAsDl4jDoes() {
        // A threshold small enough that every step clips.
        TrainingSettings clipped = new TrainingSettings(1, 32, Optimizer.SGD, 0.5, 7L, 0.2, 0).withGradientClipping(0.01);
        trainsLikeDl4j(dense(clipped, LossSettings.of(LossFunction.MSE), Activation.RELU, Activation.SIGMOID), 20);
    }

    @Test
    void aNetworkTheExecutorCannotComputeTrainsThroughDl4jFitAndSaysWhy() {
        LossSettings mse = LossSettings.of(LossFunction.MSE);
        ComputationGraphConfiguration dropoutOnInput = GraphConfigs.builder(training(Optimizer.ADAM, 1e-3))
                .addInputs("input")
                .setInputTypes(InputType.feedForward(784))
                .addLayer("hidden", new DenseLayer.Builder().nIn(784).nOut(32).dropOut(new Dropout(0.8))
                        .activation(Activation.RELU).build(), "input")
                .addLayer("pixels", new DenseLayer.Builder().nIn(32).nOut(784).activation(Activation.SIGMOID).build(), "hidden")
                .addLayer("loss", GraphConfigs.lossLayer(mse), "pixels")
                .setOutputs("loss").build();
        Lowering.Result lowered = Lowering.of(graph(dropoutOnInput), new long[] {784});
        assertFalse(lowered.lowered());
        assertTrue(lowered.refusal().startsWith("hidden: dropout on a layer's input"), lowered.refusal());
        EnginePlan plan = Planner.plan(lowered, new Planner.Environment(true, false));
        assertEquals(EnginePlan.Path.DL4J_FIT, plan.path());
        assertEquals(1, plan.downgrades().size());
        assertTrue(plan.downgrades().get(0).contains("hidden: dropout"), plan.downgrades().get(0));

        GraphEngine engine = GraphEngine.create(dropoutOnInput.clone(), dropoutOnInput.clone(), dropoutOnInput.clone());
        engine.fitBatch(batch(0, 8).reshape(8, 784), batch(0, 8).reshape(8, 784));
        assertFalse(engine.trainsWithExecutor());
        assertEquals(EnginePlan.Path.DL4J_FIT, engine.plan().orElseThrow().path());
    }

    private static ComputationGraph graph(ComputationGraphConfiguration conf) {
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
