package dev.latent.examples.seed;

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

/**
 * The seed study's second example: the same network as {@link SeedExample1} with Gaussian noise
 * of 2.0, twice the data's whole range. Little of the digit survives, so the network can only
 * learn the average digit: the study shows it collapse.
 */
// Deliberately the same layers as SeedExample1: the study holds the network fixed and changes only
// the noise, and a model's layers cannot be inherited (latent:inherited-layers).
@Autoencoder(inputShape = {28, 28, 1})
@Noise(gaussian = 2.0)
@Loss(LossFunction.MSE)
@Training(epochs = 10, batchSize = 64, learningRate = 1e-3)
public interface SeedExample2 {

    @Encoder
    interface Encode {
        @Flatten void flatten();
        @Dense(128) void hidden();
        @Dense(32) void code();
    }

    @Decoder
    interface Decode {
        @Dense(128) void hidden();
        @Dense(units = 784, activation = Activation.SIGMOID) void pixels();
        @Reshape({28, 28, 1}) void image();
    }
}
