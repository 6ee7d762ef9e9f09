package dev.latent.examples.calibrate;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.GraphConfigs;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LayerInfo;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.settings.TrainingSettings;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.nd4j.linalg.activations.Activation;

/**
 * A dense autoencoder on 28x28 digits whose layer widths and output activation are parameters,
 * built exactly as the processor generates the seed's dense model (same layers, Keras
 * initialisation, settings): the calibration varies one attribute a warning checks without
 * declaring one model interface per grid point. The encoder's layers use ReLU; the last of
 * {@code encoder} is the code. The decoder's {@code hidden} layers use ReLU and its last layer
 * maps to the 784 pixels with {@code output}.
 */
final class DenseProbe implements AutoencoderNetwork {
    private static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;

    private final String name;
    private final int[] encoder;
    private final int[] hidden;
    private final Activation output;
    private final DataRange range;

    DenseProbe(String name, int[] encoder, int[] hidden, Activation output, DataRange range) {
        if (encoder.length == 0) {
            throw new IllegalArgumentException("a probe needs at least its code layer");
        }
        this.name = name;
        this.encoder = encoder.clone();
        this.hidden = hidden.clone();
        this.output = output;
        this.range = range;
    }

    /** The seed's dense model (784-128-code-128-784, sigmoid output) with a code of {@code code} values. */
    static DenseProbe seedWithCode(int code) {
        return new DenseProbe("code " + code, new int[] {128, code}, new int[] {128}, Activation.SIGMOID, DataRange.UNIT);
    }

    @Override
    public String modelName() {
        return "calibrate." + name;
    }

    @Override
    public Shape inputShape() {
        return Shape.of(SIDE, SIDE, 1);
    }

    @Override
    public Shape codeShape() {
        return Shape.of(encoder[encoder.length - 1]);
    }

    @Override
    public DataRange range() {
        return range;
    }

    @Override
    public long parameterCount() {
        return layers().stream().mapToLong(LayerInfo::parameters).sum();
    }

    @Override
    public List<LayerInfo> layers() {
        List<LayerInfo> layers = new ArrayList<>();
        layers.add(new LayerInfo("encoder.flatten", "Flatten", Shape.of(PIXELS), 0));
        int in = PIXELS;
        for (int i = 0; i < encoder.length; i++) {
            layers.add(new LayerInfo("encoder.dense" + i, "Dense", Shape.of(encoder[i]), (long) (in + 1) * encoder[i]));
            in = encoder[i];
        }
        for (int i = 0; i < hidden.length; i++) {
            layers.add(new LayerInfo("decoder.dense" + i, "Dense", Shape.of(hidden[i]), (long) (in + 1) * hidden[i]));
            in = hidden[i];
        }
        layers.add(new LayerInfo("decoder.pixels", "Dense", Shape.of(PIXELS), (long) (in + 1) * PIXELS));
        layers.add(new LayerInfo("decoder.image", "Reshape", inputShape(), 0));
        return layers;
    }

    @Override
    public TrainingSettings training() {
        return TrainingSettings.defaults();
    }

    @Override
    public NoiseSettings noise() {
        return NoiseSettings.gaussian(0.5);
    }

    @Override
    public LossSettings loss() {
        return LossSettings.of(dev.latent.dsl.LossFunction.MSE);
    }

    @Override
    public ComputationGraphConfiguration configuration(GraphPart part, TrainingSettings training, LossSettings loss) {
        ComputationGraphConfiguration.GraphBuilder graph = GraphConfigs.builder(training);
        String code = "encoder.dense" + (encoder.length - 1);
        switch (part) {
            case AUTOENCODER -> {
                graph.addInputs("input").setInputTypes(InputType.convolutional(SIDE, SIDE, 1));
                addEncoder(graph, "input");
                addDecoder(graph, code);
                graph.addLayer("loss", GraphConfigs.lossLayer(loss), new CnnToFeedForwardPreProcessor(SIDE, SIDE, 1),
                        "decoder.image");
                graph.setOutputs("loss");
            }
            case ENCODER -> {
                graph.addInputs("input").setInputTypes(InputType.convolutional(SIDE, SIDE, 1));
                addEncoder(graph, "input");
                graph.setOutputs(code);
            }
            case DECODER -> {
                graph.addInputs("code").setInputTypes(InputType.feedForward(encoder[encoder.length - 1]));
                addDecoder(graph, "code");
                graph.setOutputs("decoder.image");
            }
        }
        return graph.build();
    }

    private void addEncoder(ComputationGraphConfiguration.GraphBuilder graph, String input) {
        graph.addVertex("encoder.flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(SIDE, SIDE, 1)), input);
        String previous = "encoder.flatten";
        int in = PIXELS;
        for (int i = 0; i < encoder.length; i++) {
            graph.addLayer("encoder.dense" + i, dense(in, encoder[i], Activation.RELU), previous);
            previous = "encoder.dense" + i;
            in = encoder[i];
        }
    }

    private void addDecoder(ComputationGraphConfiguration.GraphBuilder graph, String input) {
        String previous = input;
        int in = encoder[encoder.length - 1];
        for (int i = 0; i < hidden.length; i++) {
            graph.addLayer("decoder.dense" + i, dense(in, hidden[i], Activation.RELU), previous);
            previous = "decoder.dense" + i;
            in = hidden[i];
        }
        graph.addLayer("decoder.pixels", dense(in, PIXELS, output), previous);
        graph.addVertex("decoder.image", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(SIDE, SIDE, 1)),
                "decoder.pixels");
    }

    private static DenseLayer dense(int in, int out, Activation activation) {
        return new DenseLayer.Builder().nOut(out).activation(activation)
                .weightInit(GraphConfigs.glorotUniform(in, out)).build();
    }
}
