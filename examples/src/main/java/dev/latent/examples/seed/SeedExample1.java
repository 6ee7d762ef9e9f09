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
 * The seed study's first example: a shallow dense autoencoder on 28x28 digits with Gaussian
 * noise of 0.5. Learns, but blurs: a dense encoder sees no neighbourhoods.
 */
// Deliberately the same layers as SeedExample2, the engine matrix's DenseRegularised and the calibration
// probes: a model is read whole from its own annotations (a section's inherited layers are refused,
// latent:inherited-layers), so each variant of this network declares it again.
@Autoencoder(inputShape = {28, 28, 1})
@Noise(gaussian = 0.5)
@Loss(LossFunction.MSE)
@Training(epochs = 10, batchSize = 64, learningRate = 1e-3)
public interface SeedExample1 {

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
