package dev.latent.examples.cli;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Flatten;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Reshape;
import dev.latent.dsl.Training;

/** The smallest digits model, for runs of the real command line that must be quick: 25,000 parameters. */
// The usual dense digits model, shrunk: a whole declaration of its own, as every model is.
@Autoencoder(inputShape = {28, 28, 1})
@Noise(gaussian = 0.3)
@Training(batchSize = 16, learningRate = 1e-3)
public interface TinyDigits {

    @Encoder
    interface Encode {
        @Flatten void flatten();
        @Dense(16) void code();
    }

    @Decoder
    interface Decode {
        @Dense(units = 784, activation = Activation.SIGMOID) void pixels();
        @Reshape({28, 28, 1}) void image();
    }
}
