package dev.latent.examples.kit;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Noise;

/** {@link SmallDenseVector} on standardised data: a linear output, unclipped noise. */
// Deliberately SmallDenseVector's layers: only the range, the noise and the output differ.
@Autoencoder(inputShape = {16}, range = DataRange.UNBOUNDED)
@Noise(gaussian = 0.3, clip = false)
public interface StandardisedDenseVector {

    @Encoder
    interface Encode {
        @Dense(12) void hidden();
        @Dense(8) void code();
    }

    @Decoder
    interface Decode {
        @Dense(12) void hidden();
        @Dense(units = 16, activation = Activation.IDENTITY) void values();
    }
}
