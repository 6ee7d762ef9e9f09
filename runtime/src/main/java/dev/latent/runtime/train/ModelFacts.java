package dev.latent.runtime.train;

import dev.latent.dsl.Optimizer;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LayerInfo;
import dev.latent.runtime.settings.TrainingSettings;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

/**
 * What the {@link Diagnosis} reads of the run it judges, so that its advice starts from the
 * model's own settings (never "raise the noise to 0.2" to a model at 0.3).
 *
 * @param noise the noise the run trained with
 * @param optimizer the optimizer; null if not known
 * @param learningRate the optimizer's learning rate; NaN if not known
 * @param epochs the epochs the run was asked for; 0 if not known
 * @param batchSize the batch size; 0 if not known
 * @param batchNormalization the names of the model's batch-normalisation layers
 * @param dropout the names of the model's dropout layers
 * @param codeActivation the code layer's activation, as DL4J names it ({@code relu}); null if not known
 */
public record ModelFacts(NoiseSettings noise, Optimizer optimizer, double learningRate, int epochs, int batchSize,
        List<String> batchNormalization, List<String> dropout, String codeActivation) {

    public ModelFacts {
        Objects.requireNonNull(noise, "noise");
        batchNormalization = List.copyOf(batchNormalization);
        dropout = List.copyOf(dropout);
    }

    /** Only the noise is known: the advice names no other setting of the model. */
    public static ModelFacts ofNoise(NoiseSettings noise) {
        return new ModelFacts(noise, null, Double.NaN, 0, 0, List.of(), List.of(), null);
    }

    /** The facts of {@code network} trained with {@code training} and {@code noise}. */
    public static ModelFacts of(AutoencoderNetwork network, TrainingSettings training, NoiseSettings noise) {
        List<LayerInfo> layers = network.layers();
        return new ModelFacts(noise, training.optimizer(), training.learningRate(), training.epochs(),
                training.batchSize(), namesOfKind(layers, "BatchNormalization"), namesOfKind(layers, "Dropout"),
                codeActivation(network, training));
    }

    /** The learning rate as the advice quotes it: {@code Adam at 0.003}; empty if not known. */
    String rate() {
        if (!Double.isFinite(learningRate)) {
            return "";
        }
        return (optimizer == null ? "" : optimizer + " at ") + rate(learningRate);
    }

    /** A learning rate as one writes it: {@code 0.003}, {@code 1e-5}, {@code 2.5e-4}. */
    static String rate(double value) {
        if (value >= 1e-3 || value <= 0) {
            return Diagnosis.num(value);
        }
        return String.format(java.util.Locale.ROOT, "%.2e", value).replaceFirst("\\.?0*e", "e").replace("e-0", "e-");
    }

    private static List<String> namesOfKind(List<LayerInfo> layers, String kind) {
        return layers.stream().filter(l -> l.kind().equals(kind)).map(LayerInfo::name).toList();
    }

    // The encoder's output layer; a vertex (a reshape) at the end leaves the activation unknown.
    private static String codeActivation(AutoencoderNetwork network, TrainingSettings training) {
        ComputationGraphConfiguration encoder = network.configuration(GraphPart.ENCODER, training, network.loss());
        GraphVertex vertex = encoder.getVertices().get(encoder.getNetworkOutputs().get(0));
        if (vertex instanceof LayerVertex layerVertex && layerVertex.getLayerConf().getLayer() != null) {
            Layer layer = layerVertex.getLayerConf().getLayer();
            while (layer instanceof BaseWrapperLayer wrapper) {
                layer = wrapper.getUnderlying();
            }
            if (layer instanceof BaseLayer base && base.getActivationFn() != null) {
                return base.getActivationFn().toString();
            }
        }
        return null;
    }
}
