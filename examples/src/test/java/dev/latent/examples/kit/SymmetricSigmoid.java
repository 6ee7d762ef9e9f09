package dev.latent.examples.kit;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Noise;

/**
 * Broken on purpose: data in [-1, 1] but a SIGMOID output, which never goes below 0 (the processor
 * warns; the model still compiles).
 */
// Deliberately SmallDenseVector's layers: only the range differs, the mistake under test.
@Autoencoder(inputShape = {16}, range = DataRange.SYMMETRIC)
@Noise(gaussian = 0.1)
public interface SymmetricSigmoid {

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
