package dev.latent.examples.calibrate;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Conv2D;
import dev.latent.dsl.Conv2DTranspose;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Flatten;
import dev.latent.dsl.MaxPool2D;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Reshape;

/**
 * The calibration's small convolutional model: {@link ConvEncoderProbe}'s encoder and a decoder
 * that ends in a transposed convolution, to tell the encoder's part in a conv model's advantage
 * from the decoder's.
 */
// Deliberately ConvEncoderProbe's encoder and ConvDecoderProbe's decoder: the calibration changes one
// part at a time, and a model's layers cannot be inherited (latent:inherited-layers).
@Autoencoder(inputShape = {28, 28, 1})
@Noise(gaussian = 0.5)
public interface ConvProbe {

    @Encoder
    interface Encode {
        @Conv2D(16) void conv();
        @MaxPool2D void pool();
        @Flatten void flatten();
        @Dense(32) void code();
    }

    @Decoder
    interface Decode {
        @Dense(196) void hidden();
        @Reshape({14, 14, 1}) void grid();
        @Conv2DTranspose(filters = 1, strides = 2, activation = Activation.SIGMOID) void pixels();
    }
}
