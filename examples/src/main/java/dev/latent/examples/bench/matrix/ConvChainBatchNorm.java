package dev.latent.examples.bench.matrix;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.BatchNormalization;
import dev.latent.dsl.Conv2D;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Loss;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.MaxPool2D;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Training;
import dev.latent.dsl.UpSampling2D;

/**
 * The engine matrix's conv chain ({@link ConvChain}) with one batch normalisation after the first
 * convolution, as most published conv autoencoders have.
 */
// Deliberately ConvChain's layers again, plus one: the matrix measures what batch normalisation
// costs, and a model's layers cannot be inherited (latent:inherited-layers).
@Autoencoder(inputShape = {28, 28, 1})
@Noise(gaussian = 0.2)
@Loss(LossFunction.MSE)
@Training(batchSize = 64, learningRate = 1e-3)
public interface ConvChainBatchNorm {

    @Encoder
    interface Encode {
        @Conv2D(16) void conv1();
        @BatchNormalization void norm1();
        @MaxPool2D(2) void pool1();
        @Conv2D(8) void conv2();
        @MaxPool2D(2) void code();
    }

    @Decoder
    interface Decode {
        @Conv2D(8) void conv1();
        @UpSampling2D(2) void up1();
        @Conv2D(16) void conv2();
        @UpSampling2D(2) void up2();
        @Conv2D(filters = 1, activation = Activation.SIGMOID) void pixels();
    }
}
