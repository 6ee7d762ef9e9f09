package dev.latent.runtime;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LayerInfo;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.settings.TrainingSettings;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

/**
 * A model's network, as generated from its {@code @Autoencoder} interface: its shapes and
 * declared settings, and the DL4J configurations of its parts. Generated classes
 * ({@code <Name>Network}) implement it; the trainer and the trained model only see this.
 */
public interface AutoencoderNetwork {

    /** The model interface's canonical name, e.g. {@code p.ConvDenoiser}. */
    String modelName();

    /** Shape of one input sample, in Keras order. */
    Shape inputShape();

    /** Shape of the latent code of one sample, in Keras order. */
    Shape codeShape();

    /** What the data is; noise is clipped to it. */
    DataRange range();

    /** Total parameters, learned or not, as Keras counts them. */
    long parameterCount();

    /** The layers, encoder first, with output shapes and parameter counts. */
    List<LayerInfo> layers();

    /** The declared training settings. */
    TrainingSettings training();

    /** The declared noise. */
    NoiseSettings noise();

    /** The declared loss. */
    LossSettings loss();

    /**
     * The DL4J configuration of one part, with layers named {@code encoder.<method>} and
     * {@code decoder.<method>}. Only {@link GraphPart#AUTOENCODER} has a loss; its output is the
     * reconstruction flattened to {@code [batch, inputShape().size()]}.
     */
    ComputationGraphConfiguration configuration(GraphPart part, TrainingSettings training, LossSettings loss);

    /** The Keras-style layer table: layer, output shape, parameters. */
    default String summary() {
        return Summary.format(this);
    }
}
