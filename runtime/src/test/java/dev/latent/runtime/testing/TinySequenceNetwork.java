package dev.latent.runtime.testing;

import dev.latent.dsl.DataRange;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.Optimizer;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.GraphConfigs;
import dev.latent.runtime.engine.SequenceReshapeVertex;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LayerInfo;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.settings.TrainingSettings;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.nd4j.linalg.activations.Activation;

/**
 * A small 1-D convolutional autoencoder on sequences of 8 steps of 2 features ({@code {8, 2}}),
 * laid out as the processor lays out the weather example: Conv1D(4, kernel 3), MaxPool1D(2),
 * Flatten, Dense(6) | Dense(16), Reshape({4, 4}), UpSampling1D(2), Conv1D(2, kernel 3).
 *
 * <p>Written out in full as the processor would generate it; the small methods it shares with the
 * other hand-written test networks are deliberately repeated, so each reads as one generated file.
 */
public final class TinySequenceNetwork implements AutoencoderNetwork {
    private static final int STEPS = 8;
    private static final int FEATURES = 2;
    private static final int KERNEL = 3;

    @Override
    public String modelName() {
        return "dev.latent.runtime.testing.TinySequence";
    }

    @Override
    public Shape inputShape() {
        return Shape.of(STEPS, FEATURES);
    }

    @Override
    public Shape codeShape() {
        return Shape.of(6);
    }

    @Override
    public DataRange range() {
        return DataRange.UNBOUNDED;
    }

    @Override
    public long parameterCount() {
        return layers().stream().mapToLong(LayerInfo::parameters).sum();
    }

    @Override
    public List<LayerInfo> layers() {
        return List.of(
                new LayerInfo("encoder.conv", "Conv1D", Shape.of(STEPS, 4), KERNEL * FEATURES * 4 + 4),
                new LayerInfo("encoder.pool", "MaxPool1D", Shape.of(STEPS / 2, 4), 0),
                new LayerInfo("encoder.flatten", "Flatten", Shape.of(16), 0),
                new LayerInfo("encoder.code", "Dense", Shape.of(6), 16 * 6 + 6),
                new LayerInfo("decoder.expand", "Dense", Shape.of(16), 6 * 16 + 16),
                new LayerInfo("decoder.steps", "Reshape", Shape.of(4, 4), 0),
                new LayerInfo("decoder.up", "UpSampling1D", Shape.of(STEPS, 4), 0),
                new LayerInfo("decoder.values", "Conv1D", inputShape(), KERNEL * 4 * FEATURES + FEATURES));
    }

    @Override
    public TrainingSettings training() {
        return new TrainingSettings(2, 16, Optimizer.ADAM, 3e-3, 42L, 0.2, 0);
    }

    @Override
    public NoiseSettings noise() {
        return NoiseSettings.gaussian(0.3);
    }

    @Override
    public LossSettings loss() {
        return LossSettings.of(LossFunction.MSE);
    }

    @Override
    public ComputationGraphConfiguration configuration(GraphPart part, TrainingSettings training, LossSettings loss) {
        ComputationGraphConfiguration.GraphBuilder graph = GraphConfigs.builder(training);
        switch (part) {
            case AUTOENCODER -> {
                graph.addInputs("input").setInputTypes(InputType.recurrent(FEATURES, STEPS));
                addEncoder(graph);
                addDecoder(graph, "encoder.code");
                graph.addVertex("loss.input", new ReshapeVertex(-1, STEPS * FEATURES), "decoder.values");
                graph.addLayer("loss", GraphConfigs.lossLayer(loss), "loss.input");
                graph.setOutputs("loss");
            }
            case ENCODER -> {
                graph.addInputs("input").setInputTypes(InputType.recurrent(FEATURES, STEPS));
                addEncoder(graph);
                graph.setOutputs("encoder.code");
            }
            case DECODER -> {
                graph.addInputs("code").setInputTypes(InputType.feedForward(6));
                addDecoder(graph, "code");
                graph.setOutputs("decoder.values");
            }
        }
        return graph.build();
    }

    private static void addEncoder(ComputationGraphConfiguration.GraphBuilder graph) {
        graph.addLayer("encoder.conv", new Convolution1DLayer.Builder().kernelSize(KERNEL).stride(1).nOut(4)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU)
                .weightInit(GraphConfigs.glorotUniform(KERNEL * FEATURES, KERNEL * 4)).build(), "input");
        graph.addLayer("encoder.pool", new Subsampling1DLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2)
                .stride(2).convolutionMode(ConvolutionMode.Same).build(), "encoder.conv");
        graph.addVertex("encoder.flatten", new ReshapeVertex(-1, 16), "encoder.pool");
        graph.addLayer("encoder.code", new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY)
                .weightInit(GraphConfigs.glorotUniform(16, 6)).build(), "encoder.flatten");
    }

    private static void addDecoder(ComputationGraphConfiguration.GraphBuilder graph, String input) {
        graph.addLayer("decoder.expand", new DenseLayer.Builder().nOut(16).activation(Activation.RELU)
                .weightInit(GraphConfigs.glorotUniform(6, 16)).build(), input);
        graph.addVertex("decoder.steps", new SequenceReshapeVertex(4, 4), "decoder.expand");
        graph.addLayer("decoder.up", new Upsampling1D.Builder(2).build(), "decoder.steps");
        graph.addLayer("decoder.values", new Convolution1DLayer.Builder().kernelSize(KERNEL).stride(1).nOut(FEATURES)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY)
                .weightInit(GraphConfigs.glorotUniform(KERNEL * 4, KERNEL * FEATURES)).build(), "decoder.up");
    }
}
