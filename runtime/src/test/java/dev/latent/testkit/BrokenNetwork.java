package dev.latent.testkit;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LayerInfo;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.settings.TrainingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * A sound network with one fault put in on purpose, in every part's DL4J configuration alike, as
 * a generated network with that fault would have it. Everything else is the sound network's.
 */
final class BrokenNetwork implements AutoencoderNetwork {
    private final AutoencoderNetwork sound;
    private final String layer;
    private final UnaryOperator<Layer> fault;
    private final NoiseSettings noise;
    private final List<LayerInfo> layers;
    private final LossSettings loss;
    private final DataRange range;

    private BrokenNetwork(AutoencoderNetwork sound, String layer, UnaryOperator<Layer> fault, NoiseSettings noise) {
        this(sound, layer, fault, noise, sound.layers(), sound.loss(), sound.range());
    }

    private BrokenNetwork(AutoencoderNetwork sound, String layer, UnaryOperator<Layer> fault, NoiseSettings noise,
            List<LayerInfo> layers, LossSettings loss) {
        this(sound, layer, fault, noise, layers, loss, sound.range());
    }

    private BrokenNetwork(AutoencoderNetwork sound, String layer, UnaryOperator<Layer> fault, NoiseSettings noise,
            List<LayerInfo> layers, LossSettings loss, DataRange range) {
        this.sound = sound;
        this.layer = layer;
        this.fault = fault;
        this.noise = noise;
        this.layers = layers;
        this.loss = loss;
        this.range = range;
    }

    /** This network, declaring its data {@code range} instead: an output activation may no longer fit it. */
    BrokenNetwork inRange(DataRange value) {
        return new BrokenNetwork(sound, layer, fault, noise, layers, loss, value);
    }

    /** The sound network, declaring its data {@code range} instead. */
    static BrokenNetwork withRange(AutoencoderNetwork sound, DataRange range) {
        return new BrokenNetwork(sound, null, UnaryOperator.identity(), sound.noise()).inRange(range);
    }

    /** {@code layer} computes with {@code activation} instead of its own. */
    static BrokenNetwork withActivation(AutoencoderNetwork sound, String layer, Activation activation) {
        return new BrokenNetwork(sound, layer, conf -> {
            ((BaseLayer) conf).setActivationFn(activation.getActivationFunction());
            return conf;
        }, sound.noise());
    }

    /**
     * {@code layer} starts with all-zero weights and biases and is frozen there: it passes
     * nothing on, and since its weights are zero, no gradient reaches the layers before it either.
     */
    static BrokenNetwork frozenAtZero(AutoencoderNetwork sound, String layer) {
        return new BrokenNetwork(sound, layer, conf -> {
            ((BaseLayer) conf).setWeightInitFn(WeightInit.ZERO.getWeightInitFunction());
            FrozenLayerWithBackprop frozen = new FrozenLayerWithBackprop(conf);
            frozen.setLayerName(conf.getLayerName());
            return frozen;
        }, sound.noise());
    }

    /** Trains with {@code noise} instead of the sound network's. */
    static BrokenNetwork withNoise(AutoencoderNetwork sound, NoiseSettings noise) {
        return new BrokenNetwork(sound, null, UnaryOperator.identity(), noise);
    }

    /** Reports the layer table as {@code edit} changes it; the network itself is the sound one. */
    static BrokenNetwork withLayers(AutoencoderNetwork sound, Consumer<List<LayerInfo>> edit) {
        List<LayerInfo> layers = new ArrayList<>(sound.layers());
        edit.accept(layers);
        return new BrokenNetwork(sound, null, UnaryOperator.identity(), sound.noise(), List.copyOf(layers),
                sound.loss());
    }

    /** Trains with {@code loss} instead of the sound network's. */
    static BrokenNetwork withLoss(AutoencoderNetwork sound, LossSettings loss) {
        return new BrokenNetwork(sound, null, UnaryOperator.identity(), sound.noise(), sound.layers(), loss);
    }

    @Override
    public ComputationGraphConfiguration configuration(GraphPart part, TrainingSettings training, LossSettings loss) {
        ComputationGraphConfiguration configuration = sound.configuration(part, training, loss);
        if (layer != null && configuration.getVertices().get(layer) instanceof LayerVertex vertex) {
            vertex.getLayerConf().setLayer(fault.apply(vertex.getLayerConf().getLayer()));
        }
        return configuration;
    }

    @Override
    public NoiseSettings noise() {
        return noise;
    }

    @Override
    public String modelName() {
        return sound.modelName();
    }

    @Override
    public Shape inputShape() {
        return sound.inputShape();
    }

    @Override
    public Shape codeShape() {
        return sound.codeShape();
    }

    @Override
    public DataRange range() {
        return range;
    }

    @Override
    public long parameterCount() {
        return sound.parameterCount();
    }

    @Override
    public List<LayerInfo> layers() {
        return layers;
    }

    @Override
    public TrainingSettings training() {
        return sound.training();
    }

    @Override
    public LossSettings loss() {
        return loss;
    }
}
