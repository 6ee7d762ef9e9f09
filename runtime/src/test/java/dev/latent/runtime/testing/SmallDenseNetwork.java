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
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.nd4j.linalg.activations.Activation;

/**
 * A hand-written stand-in for what the processor generates from
 *
 * <pre>{@code
 * @Autoencoder(inputShape = {28, 28, 1})
 * @Noise(gaussian = 0.3)
 * interface SmallDense {
 *     @Encoder interface Encode { @Flatten void flatten(); @Dense(64) void hidden(); @Dense(16) void code(); }
 *     @Decoder interface Decode {
 *         @Dense(64) void hidden();
 *         @Dense(units = 784, activation = Activation.SIGMOID) void pixels();
 *         @Reshape({28, 28, 1}) void unflatten();
 *     }
 * }
 * }</pre>
 *
 * <p>Written out in full as the processor would generate it; the small methods it shares with the
 * other hand-written test networks are deliberately repeated, so each reads as one generated file.
 */
public final class SmallDenseNetwork implements AutoencoderNetwork {
    private static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;
    private static final int HIDDEN = 64;

    private final int codeSize;
    private final TrainingSettings training;
    private final NoiseSettings noise;
    private final LossSettings loss;

    /** Code of 16 units, gaussian noise 0.3, MSE, 10 epochs of batch 16 with Adam 3e-3, 20% validation. */
    public SmallDenseNetwork() {
        this(16);
    }

    /** As {@link #SmallDenseNetwork()} with another code size. */
    public SmallDenseNetwork(int codeSize) {
        this(codeSize, new TrainingSettings(10, 16, Optimizer.ADAM, 3e-3, 42L, 0.2, 0), NoiseSettings.gaussian(0.3),
                LossSettings.of(LossFunction.MSE));
    }

    public SmallDenseNetwork(int codeSize, TrainingSettings training, NoiseSettings noise, LossSettings loss) {
        this.codeSize = codeSize;
        this.training = training;
        this.noise = noise;
        this.loss = loss;
    }

    @Override
    public String modelName() {
        return "dev.latent.runtime.testing.SmallDense";
    }

    @Override
    public Shape inputShape() {
        return Shape.of(SIDE, SIDE, 1);
    }

    @Override
    public Shape codeShape() {
        return Shape.of(codeSize);
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
                new LayerInfo("encoder.flatten", "Flatten", Shape.of(PIXELS), 0),
                new LayerInfo("encoder.hidden", "Dense", Shape.of(HIDDEN), (long) PIXELS * HIDDEN + HIDDEN),
                new LayerInfo("encoder.code", "Dense", Shape.of(codeSize), (long) HIDDEN * codeSize + codeSize),
                new LayerInfo("decoder.hidden", "Dense", Shape.of(HIDDEN), (long) codeSize * HIDDEN + HIDDEN),
                new LayerInfo("decoder.pixels", "Dense", Shape.of(PIXELS), (long) HIDDEN * PIXELS + PIXELS),
                new LayerInfo("decoder.unflatten", "Reshape", inputShape(), 0));
    }

    @Override
    public TrainingSettings training() {
        return training;
    }

    @Override
    public NoiseSettings noise() {
        return noise;
    }

    @Override
    public LossSettings loss() {
        return loss;
    }

    @Override
    public ComputationGraphConfiguration configuration(GraphPart part, TrainingSettings training, LossSettings loss) {
        ComputationGraphConfiguration.GraphBuilder graph = GraphConfigs.builder(training);
        String code;
        if (part == GraphPart.DECODER) {
            graph.addInputs("code").setInputTypes(InputType.feedForward(codeSize));
            code = "code";
        } else {
            graph.addInputs("input").setInputTypes(InputType.convolutional(SIDE, SIDE, 1));
            graph.addVertex("encoder.flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(SIDE, SIDE, 1)),
                    "input");
            graph.addLayer("encoder.hidden", dense(PIXELS, HIDDEN, Activation.RELU), "encoder.flatten");
            graph.addLayer("encoder.code", dense(HIDDEN, codeSize, Activation.RELU), "encoder.hidden");
            code = "encoder.code";
        }
        if (part == GraphPart.ENCODER) {
            return graph.setOutputs("encoder.code").build();
        }
        graph.addLayer("decoder.hidden", dense(codeSize, HIDDEN, Activation.RELU), code);
        graph.addLayer("decoder.pixels", dense(HIDDEN, PIXELS, Activation.SIGMOID), "decoder.hidden");
        graph.addVertex("decoder.unflatten", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(SIDE, SIDE, 1)),
                "decoder.pixels");
        if (part == GraphPart.DECODER) {
            return graph.setOutputs("decoder.unflatten").build();
        }
        graph.addLayer("loss", GraphConfigs.lossLayer(loss), new CnnToFeedForwardPreProcessor(SIDE, SIDE, 1),
                "decoder.unflatten");
        return graph.setOutputs("loss").build();
    }

    private static DenseLayer dense(int in, int out, Activation activation) {
        return new DenseLayer.Builder().nIn(in).nOut(out).activation(activation)
                .weightInit(GraphConfigs.glorotUniform(in, out)).build();
    }
}
