package dev.latent.examples.seed;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Conv2D;
import dev.latent.dsl.Conv2DTranspose;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Flatten;
import dev.latent.dsl.Loss;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.MaxPool2D;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Reshape;
import dev.latent.dsl.Training;

/**
 * The seed study's improved setup: a convolutional encoder, a transposed-convolution decoder
 * and Gaussian noise of 0.2. Exactly the model of the contract's {@code ConvDenoiser}.
 */
// The same annotation shapes as the other conv models (bench matrix, weather): each is a user's
// whole declaration, and a model's layers cannot be inherited (latent:inherited-layers).
@Autoencoder(inputShape = {28, 28, 1})
@Noise(gaussian = 0.2)
@Loss(LossFunction.MSE)
@Training(epochs = 10, batchSize = 64, learningRate = 1e-3)
public interface SeedExample3 {

    @Encoder
    interface Encode {
        @Conv2D(filters = 32, kernel = 3) void conv1();
        @MaxPool2D(2) void pool1();
        @Conv2D(filters = 64, kernel = 3) void conv2();
        @MaxPool2D(2) void pool2();
        @Flatten void flatten();
        @Dense(128) void hidden();
        @Dense(64) void code();
    }

    @Decoder
    interface Decode {
        @Dense(128) void hidden();
        @Dense(7 * 7 * 64) void expand();
        @Reshape({7, 7, 64}) void unflatten();
        @Conv2DTranspose(filters = 64, kernel = 3, strides = 2) void up1();
        @Conv2DTranspose(filters = 32, kernel = 3, strides = 2) void up2();
        @Conv2D(filters = 1, kernel = 3, activation = Activation.SIGMOID) void pixels();
    }
}
