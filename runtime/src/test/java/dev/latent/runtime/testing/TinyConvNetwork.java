package dev.latent.runtime.testing;

import dev.latent.dsl.DataRange;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.Optimizer;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.GraphConfigs;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LayerInfo;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.settings.TrainingSettings;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.linalg.activations.Activation;

/**
 * A small convolutional autoencoder on {@code {14, 14, 2}} images whose code is itself an image
 * ({@code {7, 7, 4}}), to carry two channels and an image code through the engine's NCHW layout:
 * Conv2D(8) same, MaxPool2D(2), Conv2D(4) same | Conv2DTranspose(8, strides 2) same, Conv2D(2)
 * sigmoid.
 *
 * <p>Written out in full as the processor would generate it; the small methods it shares with the
 * other hand-written test networks are deliberately repeated, so each reads as one generated file.
 */
public final class TinyConvNetwork implements AutoencoderNetwork {
    public static final int SIDE = 14;
    public static final int CHANNELS = 2;
    private static final int KERNEL = 3;

    @Override
    public String modelName() {
        return "dev.latent.runtime.testing.TinyConv";
    }

    @Override
    public Shape inputShape() {
        return Shape.of(SIDE, SIDE, CHANNELS);
    }

    @Override
    public Shape codeShape() {
        return Shape.of(SIDE / 2, SIDE / 2, 4);
    }

    @Override
    public DataRange range() {
        return DataRange.UNIT;
    }

    @Override
    public long parameterCount() {
        return layers().stream().mapToLong(LayerInfo::parameters).sum();
    }

    @Override
    public List<LayerInfo> layers() {
        return List.of(
                new LayerInfo("encoder.conv1", "Conv2D", Shape.of(SIDE, SIDE, 8), convParams(CHANNELS, 8)),
                new LayerInfo("encoder.pool1", "MaxPool2D", Shape.of(SIDE / 2, SIDE / 2, 8), 0),
                new LayerInfo("encoder.code", "Conv2D", codeShape(), convParams(8, 4)),
                new LayerInfo("decoder.up1", "Conv2DTranspose", Shape.of(SIDE, SIDE, 8), convParams(4, 8)),
                new LayerInfo("decoder.pixels", "Conv2D", inputShape(), convParams(8, CHANNELS)));
    }

    @Override
    public TrainingSettings training() {
        return new TrainingSettings(5, 16, Optimizer.ADAM, 1e-2, 7L, 0.2, 0);
    }

    @Override
    public NoiseSettings noise() {
        return NoiseSettings.gaussian(0.2);
    }

    @Override
    public LossSettings loss() {
        return LossSettings.of(LossFunction.BINARY_CROSSENTROPY);
    }

    @Override
    public ComputationGraphConfiguration configuration(GraphPart part, TrainingSettings training, LossSettings loss) {
        ComputationGraphConfiguration.GraphBuilder graph = GraphConfigs.builder(training);
        String code;
        if (part == GraphPart.DECODER) {
            graph.addInputs("code").setInputTypes(InputType.convolutional(SIDE / 2, SIDE / 2, 4));
            code = "code";
        } else {
            graph.addInputs("input").setInputTypes(InputType.convolutional(SIDE, SIDE, CHANNELS));
            graph.addLayer("encoder.conv1", conv(CHANNELS, 8, Activation.RELU), "input");
            graph.addLayer("encoder.pool1", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                    .convolutionMode(ConvolutionMode.Same).build(), "encoder.conv1");
            graph.addLayer("encoder.code", conv(8, 4, Activation.RELU), "encoder.pool1");
            code = "encoder.code";
        }
        if (part == GraphPart.ENCODER) {
            return graph.setOutputs("encoder.code").build();
        }
        graph.addLayer("decoder.up1", new Deconvolution2D.Builder().nIn(4).nOut(8).kernelSize(KERNEL, KERNEL)
                .stride(2, 2).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU)
                .weightInit(GraphConfigs.glorotUniform(KERNEL * KERNEL * 4, KERNEL * KERNEL * 8)).build(), code);
        graph.addLayer("decoder.pixels", conv(8, CHANNELS, Activation.SIGMOID), "decoder.up1");
        if (part == GraphPart.DECODER) {
            return graph.setOutputs("decoder.pixels").build();
        }
        graph.addLayer("loss", GraphConfigs.lossLayer(loss), new CnnToFeedForwardPreProcessor(SIDE, SIDE, CHANNELS),
                "decoder.pixels");
        return graph.setOutputs("loss").build();
    }

    private static ConvolutionLayer conv(int in, int out, Activation activation) {
        return new ConvolutionLayer.Builder().nIn(in).nOut(out).kernelSize(KERNEL, KERNEL)
                .convolutionMode(ConvolutionMode.Same).activation(activation)
                .weightInit(GraphConfigs.glorotUniform(KERNEL * KERNEL * in, KERNEL * KERNEL * out)).build();
    }

    private static long convParams(int in, int out) {
        return (long) KERNEL * KERNEL * in * out + out;
    }
}
