package dev.latent.examples.kit;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Noise;

/** A newcomer's first model: 16 features in [0, 1], 16-12-8-12-16, every training setting at its default (Adam 1e-3). */
// The test kit's vector models deliberately share these layers (SymmetricSigmoid, StandardisedDenseVector):
// each changes one thing (range, output, noise), and a model is read whole from its own annotations.
@Autoencoder(inputShape = {16})
@Noise(gaussian = 0.1)
public interface SmallDenseVector {

    @Encoder
    interface Encode {
        @Dense(12) void hidden();
        @Dense(8) void code();
    }

    @Decoder
    interface Decode {
        @Dense(12) void hidden();
        @Dense(units = 16, activation = Activation.SIGMOID) void values();
    }
}
