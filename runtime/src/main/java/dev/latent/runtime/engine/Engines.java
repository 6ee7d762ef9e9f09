package dev.latent.runtime.engine;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.Backend;
import dev.latent.runtime.GraphPart;
import dev.latent.runtime.NativeSettings;
import dev.latent.runtime.train.LossSettings;
import dev.latent.runtime.train.TrainingSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * Picks the engine a network trains on. A chain of dense, convolution, transposed-convolution,
 * max-pooling and 2-D upsampling layers (every seed model) trains through {@link DirectTrainingStep} on the DL4J
 * graph's own arrays. With the oneDNN natives, a network with convolutions is wrapped in the
 * SameDiff engine when it translates every layer, for its encoder and decoder; it trains through
 * the direct step too when that computes it, else through SameDiff's session. Everything else
 * trains through DL4J's own {@code fit}.
 *
 * <p>{@code -Dlatent.engine=layers} trains every network through DL4J's {@code fit} on the layer
 * API, {@code =samediff} those SameDiff translates through SameDiff's session: the stock paths the
 * direct step is measured against. The default is {@code auto}.
 */
public final class Engines {
    /** The system property that overrides the choice. */
    public static final String PROPERTY = "latent.engine";

    private Engines() {}

    /** Whether {@code graph} should run on the SameDiff engine when it translates. */
    static boolean preferSameDiff(ComputationGraphConfiguration graph) {
        String choice = System.getProperty(PROPERTY, "auto").toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "samediff" -> true;
            case "layers" -> false;
            case "auto" -> hasConvolutions(graph) && Backend.isOneDnn();
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + choice
                    + " names no engine; use auto, layers or samediff");
        };
    }

    private static boolean hasConvolutions(ComputationGraphConfiguration graph) {
        return graph.getVertices().values().stream().anyMatch(vertex -> vertex instanceof LayerVertex layer
                && (layer.getLayerConf().getLayer() instanceof ConvolutionLayer
                        || layer.getLayerConf().getLayer() instanceof SubsamplingLayer));
    }

    /**
     * A freshly initialised engine for {@code network}. Gradient clipping and L2 keep a network on
     * the layer API: SameDiff's training configuration has no gradient normalisation, and its L2
     * would penalise the biases too, so the two engines would train different models.
     */
    public static Engine create(AutoencoderNetwork network, TrainingSettings training, LossSettings loss) {
        Engine engine = sameDiffExpresses(training)
                        && preferSameDiff(network.configuration(GraphPart.AUTOENCODER, training, loss))
                ? SameDiffEngine.create(network, training, loss).<Engine>map(e -> e)
                        .orElseGet(() -> GraphEngine.create(network, training, loss))
                : GraphEngine.create(network, training, loss);
        return withThreads(stockIfAsked(engine));
    }

    /** {@code engine}, made to train through its stock path when {@code -Dlatent.engine} names one. */
    static Engine stockIfAsked(Engine engine) {
        String choice = System.getProperty(PROPERTY, "auto").toLowerCase(Locale.ROOT);
        if (choice.equals("layers") && engine instanceof GraphEngine graph) {
            graph.useDl4jFit();
        } else if (choice.equals("samediff") && engine instanceof SameDiffEngine sameDiff) {
            sameDiff.trainOnSameDiff();
        }
        return engine;
    }

    /**
     * Sets the calling thread's native threads for {@code engine}'s kind of network, once, before
     * it trains (changing them later makes oneDNN rebuild its kernels); see
     * {@link NativeSettings#useThreads}.
     */
    private static Engine withThreads(Engine engine) {
        NativeSettings.useThreads(engine instanceof SameDiffEngine ? NativeSettings.threadLimit() : 1);
        return engine;
    }

    /**
     * The engine of a checkpoint, ready to go on training: parameters and optimizer state as
     * saved, on the engine {@link #create} would pick for the same settings.
     *
     * @throws IOException if the file cannot be read or holds no engine
     */
    public static Engine resume(Path zip, AutoencoderNetwork network, TrainingSettings training, LossSettings loss)
            throws IOException {
        GraphEngine loaded = GraphEngine.load(zip);
        if (sameDiffExpresses(training) && !loss.isCustom() && preferSameDiff(loaded.graph().getConfiguration())) {
            return withThreads(stockIfAsked(SameDiffEngine.resume(loaded, network.inputShape(), training, loss, zip)
                    .<Engine>map(e -> e).orElse(loaded)));
        }
        return withThreads(stockIfAsked(loaded));
    }

    private static boolean sameDiffExpresses(TrainingSettings training) {
        return training.gradientClipping() == 0 && training.l2() == 0;
    }
}
