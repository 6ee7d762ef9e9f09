package dev.latent.examples.bench;

import dev.latent.runtime.GraphConfigs;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.TrainingSettings;
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
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The seed's networks written by hand with DL4J's builders, as a DL4J user would without
 * Latent: the reference the generated code is measured against. Same layers, initialisation,
 * optimizer and seed as the generated networks. Each method is deliberately written out in
 * full, builder to {@code init()}, as that user would write it: it is the baseline, not a helper.
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

    /**
     * Seed example 3 as a SameDiff graph written by hand, for the SameDiff engine's comparison:
     * what a DL4J user writes for speed on the oneDNN natives (dense layers as mmul + add and
     * SAME transposed convolutions as cropped VALID ones, as the engine does, for the same reasons).
     */
    static SameDiff convSameDiff(TrainingSettings training) {
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder("input", DataType.FLOAT, -1, 1, 28, 28);
        SDVariable labels = sd.placeHolder("labels", DataType.FLOAT, -1, 784);
        Conv2DConfig same = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).paddingMode(PaddingMode.SAME)
                .dataFormat("NCHW").build();
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).type(Pooling2D.Pooling2DType.MAX)
                .paddingMode(PaddingMode.SAME).isNHWC(false).build();
        java.util.Random random = new java.util.Random(training.seed());
        SDVariable h = sd.nn().relu(sd.cnn().conv2d(input, glorot(sd, random, "c1", 9, 288, 3, 3, 1, 32),
                sd.zero("c1b", DataType.FLOAT, 32), same), 0);
        h = sd.cnn().maxPooling2d(h, pool);
        h = sd.nn().relu(sd.cnn().conv2d(h, glorot(sd, random, "c2", 288, 576, 3, 3, 32, 64),
                sd.zero("c2b", DataType.FLOAT, 64), same), 0);
        h = sd.cnn().maxPooling2d(h, pool);
        h = sd.reshape(h, -1, 3136);
        h = denseRelu(sd, random, h, "d1", 3136, 128);
        h = denseRelu(sd, random, h, "d2", 128, 64);
        h = denseRelu(sd, random, h, "d3", 64, 128);
        h = denseRelu(sd, random, h, "d4", 128, 3136);
        h = sd.reshape(h, -1, 64, 7, 7);
        h = sd.nn().relu(upSame(sd, h, glorot(sd, random, "u1", 576, 576, 3, 3, 64, 64),
                sd.zero("u1b", DataType.FLOAT, 64), 14), 0);
        h = sd.nn().relu(upSame(sd, h, glorot(sd, random, "u2", 576, 288, 3, 3, 32, 64),
                sd.zero("u2b", DataType.FLOAT, 32), 28), 0);
        SDVariable out = sd.nn().sigmoid(sd.cnn().conv2d(h, glorot(sd, random, "p", 288, 9, 3, 3, 32, 1),
                sd.zero("pb", DataType.FLOAT, 1), same));
        SDVariable loss = sd.loss().meanSquaredError("loss", labels, sd.reshape(out, -1, 784), null,
                LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT);
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder().updater(GraphConfigs.updater(training))
                .dataSetFeatureMapping("input").dataSetLabelMapping("labels").build());
        return sd;
    }

    private static SDVariable denseRelu(SameDiff sd, java.util.Random random, SDVariable in, String name, int inputs,
            int units) {
        SDVariable w = glorot(sd, random, name, inputs, units, inputs, units);
        return sd.nn().relu(sd.math().add(sd.mmul(in, w), sd.zero(name + "b", DataType.FLOAT, 1, units)), 0);
    }

    private static SDVariable upSame(SameDiff sd, SDVariable in, SDVariable w, SDVariable b, long size) {
        DeConv2DConfig valid = DeConv2DConfig.builder().kH(3).kW(3).sH(2).sW(2).isSameMode(false).dataFormat("NCHW").build();
        return sd.cnn().deconv2d(in, w, b, valid)
                .get(SDIndex.all(), SDIndex.all(), SDIndex.interval(0L, size), SDIndex.interval(0L, size));
    }

    private static SDVariable glorot(SameDiff sd, java.util.Random random, String name, long fanIn, long fanOut,
            long... shape) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        INDArray values = Nd4j.rand(DataType.FLOAT, shape).muli(2 * limit).subi(limit);
        return sd.var(name, values);
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
