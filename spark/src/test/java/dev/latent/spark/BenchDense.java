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

/**
 * The seed study's first example (examples' SeedExample1), for the averaging benchmark:
 * 209,968 parameters, a 0.8 MB gradient.
 */
// Deliberately SeedExample1's declaration again: the spark module cannot depend on the examples,
// and a model is read whole from its own annotations.
@SuppressWarnings("latent:shallow-encoder")
@Autoencoder(inputShape = {28, 28, 1})
@Noise(gaussian = 0.5)
@Loss(LossFunction.MSE)
@Training(epochs = 10, batchSize = 64, learningRate = 1e-3)
public interface BenchDense {

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
