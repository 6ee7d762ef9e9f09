package dev.latent.runtime.engine;

import dev.latent.runtime.GraphConfigs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.LossFunction;
import dev.latent.dsl.Optimizer;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.TrainingSettings;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference through the executor's stages gives what DL4J's own output gives, for every batch
 * size (chunks included) and activation, with the parameters as they are now.
 */
class InferenceTest {
    private static final int SIDE = 7;

    private static TrainingSettings training() {
        return new TrainingSettings(1, 16, Optimizer.ADAM, 3e-3, 5L, 0.2, 0);
    }

    /**
     * Convolution, an odd-sized SAME pooling (7 to 4, padded at the end), a dense code, a SAME
     * transposed convolution and a VALID padded convolution, with {@code activation} inside.
     */
    private static ComputationGraphConfiguration conv(Activation activation) {
        return GraphConfigs.builder(training())
                .addInputs("input")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, 2))
                .addLayer("conv", new ConvolutionLayer.Builder().nIn(2).nOut(5).kernelSize(3, 3)
                        .convolutionMode(ConvolutionMode.Same).activation(activation).build(), "input")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).build(), "conv")
                .addVertex("flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(4, 4, 5)), "pool")
                .addLayer("code", new DenseLayer.Builder().nIn(80).nOut(6).activation(activation).build(), "flatten")
                .addLayer("expand", new DenseLayer.Builder().nIn(6).nOut(64).activation(Activation.RELU).build(), "code")
                .addVertex("unflatten", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(4, 4, 4)), "expand")
                .addLayer("up", new Deconvolution2D.Builder().nIn(4).nOut(3).kernelSize(3, 3).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).activation(activation).build(), "unflatten")
                .addLayer("pixels", new ConvolutionLayer.Builder().nIn(3).nOut(2).kernelSize(2, 2).padding(0, 0)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.SIGMOID).build(), "up")
                .addLayer("loss", GraphConfigs.lossLayer(LossSettings.of(LossFunction.MSE)),
                        new CnnToFeedForwardPreProcessor(SIDE, SIDE, 2), "pixels")
                .setOutputs("loss")
                .build();
    }

    private static GraphEngine trained(ComputationGraphConfiguration conf, INDArray images) {
        GraphEngine engine = GraphEngine.create(conf.clone(), conf.clone(), conf.clone());
        for (int step = 0; step < 5; step++) {
            engine.fitBatch(images, images);
        }
        return engine;
    }

    private static void agreesWithDl4j(GraphEngine engine, INDArray images) {
        INDArray expected = engine.graph().outputSingle(false, images.dup());
        INDArray actual = engine.reconstruct(images);
        assertArrayEquals(images.shape(), actual.shape());
        double difference = expected.reshape(actual.shape()).sub(actual).amaxNumber().doubleValue();
        assertTrue(difference < 1e-5, "differs from DL4J's output by " + difference + " on " + images.size(0) + " samples");
    }

    @Test
    void everyBatchSizeInfersAsDl4jDoesForEveryActivation() {
        Nd4j.getRandom().setSeed(3);
        INDArray images = Nd4j.rand(DataType.FLOAT, 300, 2, SIDE, SIDE);
        for (Activation activation : new Activation[] {Activation.RELU, Activation.LEAKYRELU, Activation.ELU,
                Activation.TANH, Activation.SIGMOID, Activation.IDENTITY, Activation.SOFTPLUS}) {
            GraphEngine engine = trained(conv(activation), images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 16)));
            // One image, a few, and more than one chunk (256) with a short remainder.
            for (int n : new int[] {1, 3, 300}) {
                agreesWithDl4j(engine, images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)));
            }
        }
    }

    @Test
    void inferenceUsesTheParametersAsTheyAreNow() {
        Nd4j.getRandom().setSeed(4);
        INDArray images = Nd4j.rand(DataType.FLOAT, 16, 2, SIDE, SIDE);
        GraphEngine engine = trained(conv(Activation.RELU), images);
        INDArray before = engine.reconstruct(images);
        engine.fitBatch(images, images);
        agreesWithDl4j(engine, images);
        INDArray other = engine.parameters().mul(0.5);
        engine.setParameters(other);
        agreesWithDl4j(engine, images);
        assertFalse(before.equals(engine.reconstruct(images)), "new parameters, new output");
    }

    @Test
    void aSampleWithNaNInItsInputDenoisesToNaNAsInDl4j() {
        Nd4j.getRandom().setSeed(6);
        INDArray images = Nd4j.rand(DataType.FLOAT, 16, 2, SIDE, SIDE);
        GraphEngine engine = trained(conv(Activation.RELU), images);
        INDArray clean = engine.reconstruct(images);
        INDArray poisoned = images.dup();
        poisoned.putScalar(new long[] {3, 1, 2, 2}, Float.NaN);
        INDArray output = engine.reconstruct(poisoned);
        for (int i = 0; i < 16; i++) {
            INDArray row = output.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i));
            if (i == 3) {
                for (float value : row.dup().data().asFloat()) {
                    assertTrue(Float.isNaN(value), "the poisoned sample is all NaN, found " + value);
                }
            } else {
                assertEquals(clean.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)), row, "sample " + i);
            }
        }
    }

    @Test
    void aNaNSampleInTheFirstCallLeavesTheNextCallsRight() {
        Nd4j.getRandom().setSeed(7);
        INDArray images = Nd4j.rand(DataType.FLOAT, 16, 2, SIDE, SIDE);
        ComputationGraphConfiguration conf = conv(Activation.RELU);
        GraphEngine engine = GraphEngine.create(conf.clone(), conf.clone(), conf.clone());
        INDArray poisoned = images.dup();
        poisoned.putScalar(new long[] {0, 0, 0, 0}, Float.NaN);
        engine.reconstruct(poisoned);
        agreesWithDl4j(engine, images);
    }
}
