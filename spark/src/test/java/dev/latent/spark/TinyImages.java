package dev.latent.spark;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Flatten;
import dev.latent.dsl.Loss;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Reshape;
import dev.latent.dsl.Training;

/** A small dense denoiser of 8x8 images, the seed's first example in miniature: seconds to train. */
// The seed's dense shape again, deliberately small: a user's whole declaration, which no other
// model's annotations can stand in for.
@Autoencoder(inputShape = {8, 8, 1})
@Noise(gaussian = 0.2)
@Loss(LossFunction.MSE)
@Training(epochs = 3, batchSize = 32, learningRate = 3e-3, validationSplit = 0.2, seed = 7)
@SuppressWarnings("latent:shallow-encoder")
public interface TinyImages {

    @Encoder
    interface Encode {
        @Flatten void flatten();
        @Dense(32) void hidden();
        @Dense(8) void code();
    }

    @Decoder
    interface Decode {
        @Dense(32) void hidden();
        @Dense(units = 64, activation = Activation.SIGMOID) void pixels();
        @Reshape({8, 8, 1}) void image();
    }
}
