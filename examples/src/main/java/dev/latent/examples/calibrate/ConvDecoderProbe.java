package dev.latent.examples.calibrate;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Conv2DTranspose;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Flatten;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Reshape;

/**
 * The seed's dense encoder with {@link ConvProbe}'s decoder: a dense-only encoder (what the
 * {@code latent:shallow-encoder} warns about) with a decoder that ends in a transposed
 * convolution.
 */
// Deliberately SeedExample1's encoder and ConvProbe's decoder: the calibration changes one part at
// a time, and a model's layers cannot be inherited (latent:inherited-layers).
// It is the architecture the warning is about, declared to measure it.
@SuppressWarnings("latent:shallow-encoder")
@Autoencoder(inputShape = {28, 28, 1})
@Noise(gaussian = 0.5)
public interface ConvDecoderProbe {

    @Encoder
    interface Encode {
        @Flatten void flatten();
        @Dense(128) void hidden();
        @Dense(32) void code();
    }

    @Decoder
    interface Decode {
        @Dense(196) void hidden();
        @Reshape({14, 14, 1}) void grid();
        @Conv2DTranspose(filters = 1, strides = 2, activation = Activation.SIGMOID) void pixels();
    }
}
