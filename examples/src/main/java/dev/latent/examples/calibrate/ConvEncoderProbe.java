package dev.latent.examples.calibrate;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Conv2D;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Flatten;
import dev.latent.dsl.MaxPool2D;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Reshape;

/**
 * The calibration's test of {@code latent:shallow-encoder}: the seed's dense model with one
 * convolution and a pooling in front of its code, the smallest encoder the warning accepts for
 * an image. The decoder is the seed's, so only the encoder differs from {@link DenseProbe}.
 */
// Deliberately ConvProbe's encoder and SeedExample1's decoder: the calibration changes one part at
// a time, and a model's layers cannot be inherited (latent:inherited-layers).
@Autoencoder(inputShape = {28, 28, 1})
@Noise(gaussian = 0.5)
public interface ConvEncoderProbe {

    @Encoder
    interface Encode {
        @Conv2D(16) void conv();
        @MaxPool2D void pool();
        @Flatten void flatten();
        @Dense(32) void code();
    }

    @Decoder
    interface Decode {
        @Dense(128) void hidden();
        @Dense(units = 784, activation = Activation.SIGMOID) void pixels();
        @Reshape({28, 28, 1}) void image();
    }
}
