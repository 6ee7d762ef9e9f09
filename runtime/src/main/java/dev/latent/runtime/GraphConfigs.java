package dev.latent.runtime;

import dev.latent.runtime.settings.Backend;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.TrainingSettings;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The DL4J settings every generated network shares, so that generated code holds only what
 * differs between models: its layers.
 */
public final class GraphConfigs {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    /** Keras' optimizer epsilon; DL4J's default (1e-8) differs. */
    private static final double KERAS_EPSILON = 1e-7;

    private GraphConfigs() {}

    /**
     * A graph builder with the run's seed, optimizer, L2 penalty, gradient clipping and 32-bit
     * floats. Layers inherit the last two unless they set their own; L2 applies to weights only,
     * as Keras' {@code kernel_regularizer}.
     */
    public static ComputationGraphConfiguration.GraphBuilder builder(TrainingSettings training) {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(training.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(training));
        if (training.l2() > 0) {
            builder.l2(training.l2());
        }
        if (training.gradientClipping() > 0) {
            // Per parameter, as Keras' clipnorm clips each variable's gradient by its own norm.
            builder.gradientNormalization(GradientNormalization.ClipL2PerParamType)
                    .gradientNormalizationThreshold(training.gradientClipping());
        }
        return builder.graphBuilder();
    }

    /** The DL4J updater for the settings' optimizer, with Keras' default hyper-parameters. */
    public static IUpdater updater(TrainingSettings training) {
        double lr = training.learningRate();
        return switch (training.optimizer()) {
            case ADAM -> new Adam(lr, 0.9, 0.999, KERAS_EPSILON);
            case SGD -> new Sgd(lr);
            case NESTEROVS -> new Nesterovs(lr, 0.9);
            case RMSPROP -> new RmsProp(lr, 0.9, KERAS_EPSILON);
        };
    }

    /**
     * Keras' {@code glorot_uniform}: uniform in {@code ±sqrt(6 / (fanIn + fanOut))}. DL4J's
     * {@code XAVIER_UNIFORM} divides a strided convolution's fan-out by the stride squared, a
     * wider range than Keras uses, so the processor computes the fans itself.
     */
    public static IWeightInit glorotUniform(long fanIn, long fanOut) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        return new WeightInitDistribution(new UniformDistribution(-limit, limit));
    }

    /** The layer that scores the flattened reconstruction against the clean input. */
    public static LossLayer lossLayer(LossSettings loss) {
        return new LossLayer.Builder(loss.toDl4j()).activation(Activation.IDENTITY).build();
    }
}
