package dev.latent.examples.verdicts;

import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.BatchNormalization;
import dev.latent.dsl.Conv2D;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.MaxPool2D;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Training;
import dev.latent.dsl.UpSampling2D;
import dev.latent.dsl.Activation;

/** A convolutional denoiser with batch normalisation, whose validation loss lags training early on. */
// Its layers have the shape of the engine matrix's conv chains, as a small conv denoiser's would;
// each model is a whole declaration of its own.
@Autoencoder(inputShape = {28, 28, 1})
@Noise(gaussian = 0.3)
@Training(batchSize = 32, learningRate = 3e-3)
public interface NormalisedConv {

    @Encoder
    interface Encode {
        @Conv2D(8) void conv1();
        @BatchNormalization void norm1();
        @MaxPool2D(2) void pool1();
        @Conv2D(4) void code();
    }

    @Decoder
    interface Decode {
        @UpSampling2D(2) void up1();
        @Conv2D(8) void conv1();
        @BatchNormalization void norm1();
        @Conv2D(filters = 1, activation = Activation.SIGMOID) void pixels();
    }
}
