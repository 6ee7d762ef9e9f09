package dev.latent.examples.bench.matrix;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Loss;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Training;

/**
 * The engine matrix's dense model, {@link dev.latent.examples.seed.SeedExample1}'s layers
 * (784-128-32-128-784) on flattened digits; the matrix trains it with L2 of 1e-4 and gradient
 * clipping at 1.0 ({@link dev.latent.examples.bench.EngineMatrix}), settings the annotations leave
 * to the trainer.
 */
// Deliberately SeedExample1's dense layers again, without its flatten and reshape: the matrix feeds
// vectors, and a model's layers cannot be inherited (latent:inherited-layers).
@Autoencoder(inputShape = {784})
@Noise(gaussian = 0.2)
@Loss(LossFunction.MSE)
@Training(batchSize = 64, learningRate = 1e-3)
public interface DenseRegularised {

    @Encoder
    interface Encode {
        @Dense(128) void hidden();
        @Dense(32) void code();
    }

    @Decoder
    interface Decode {
        @Dense(128) void hidden();
        @Dense(units = 784, activation = Activation.SIGMOID) void pixels();
    }
}
