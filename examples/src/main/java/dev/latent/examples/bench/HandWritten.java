package dev.latent.examples.bench;

import dev.latent.runtime.engine.GraphConfigs;
import dev.latent.runtime.train.LossSettings;
import dev.latent.runtime.train.TrainingSettings;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The seed's networks written by hand with DL4J's builders, as a DL4J user would without
 * Latent: the reference the generated code is measured against. Same layers, initialisation,
 * optimizer and seed as the generated networks.
 */
final class HandWritten {
    private HandWritten() {}

    /** Seed examples 1 and 2: Flatten, Dense 128, Dense 32; Dense 128, Dense 784 sigmoid, Reshape. */
    static ComputationGraph dense(TrainingSettings training) {
        ComputationGraphConfiguration conf = GraphConfigs.builder(training)
                .addInputs("input")
                .setInputTypes(InputType.convolutional(28, 28, 1))
                .addVertex("flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(28, 28, 1)), "input")
                .addLayer("hidden", dense(128, 784, Activation.RELU), "flatten")
                .addLayer("code", dense(32, 128, Activation.RELU), "hidden")
                .addLayer("hidden2", dense(128, 32, Activation.RELU), "code")
                .addLayer("pixels", dense(784, 128, Activation.SIGMOID), "hidden2")
                .addLayer("loss", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "pixels")
                .setOutputs("loss")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Seed example 3: the conv encoder and transposed-conv decoder of the contract. */
    static ComputationGraph conv(TrainingSettings training) {
        ComputationGraphConfiguration conf = GraphConfigs.builder(training)
                .addInputs("input")
                .setInputTypes(InputType.convolutional(28, 28, 1))
                .addLayer("conv1", conv(32, 1, Activation.RELU), "input")
                .addLayer("pool1", pool(), "conv1")
                .addLayer("conv2", conv(64, 32, Activation.RELU), "pool1")
                .addLayer("pool2", pool(), "conv2")
                .addVertex("flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(7, 7, 64)), "pool2")
                .addLayer("hidden", dense(128, 3136, Activation.RELU), "flatten")
                .addLayer("code", dense(64, 128, Activation.RELU), "hidden")
                .addLayer("hidden2", dense(128, 64, Activation.RELU), "code")
                .addLayer("expand", dense(3136, 128, Activation.RELU), "hidden2")
                .addVertex("unflatten", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(7, 7, 64)), "expand")
                .addLayer("up1", deconv(64, 64), "unflatten")
                .addLayer("up2", deconv(32, 64), "up1")
                .addLayer("pixels", conv(1, 32, Activation.SIGMOID), "up2")
                .addLayer("loss", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(),
                        new CnnToFeedForwardPreProcessor(28, 28, 1), "pixels")
                .setOutputs("loss")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** The loss the hand-written networks use. */
    static LossSettings loss() {
        return LossSettings.of(dev.latent.dsl.LossFunction.MSE);
    }

    private static DenseLayer dense(int units, int inputs, Activation activation) {
        return new DenseLayer.Builder().nOut(units).activation(activation)
                .weightInit(GraphConfigs.glorotUniform(inputs, units)).build();
    }

    private static ConvolutionLayer conv(int filters, int channels, Activation activation) {
        return new ConvolutionLayer.Builder(3, 3).stride(1, 1).nOut(filters).convolutionMode(ConvolutionMode.Same)
                .activation(activation).weightInit(GraphConfigs.glorotUniform(9L * channels, 9L * filters)).build();
    }

    private static Deconvolution2D deconv(int filters, int channels) {
        return new Deconvolution2D.Builder().kernelSize(3, 3).stride(2, 2).nOut(filters)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU)
                .weightInit(GraphConfigs.glorotUniform(9L * channels, 9L * filters)).build();
    }

    private static SubsamplingLayer pool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                .convolutionMode(ConvolutionMode.Same).build();
    }
}
