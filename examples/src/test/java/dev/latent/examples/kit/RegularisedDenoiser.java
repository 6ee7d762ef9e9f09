package dev.latent.examples.kit;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.BatchNormalization;
import dev.latent.dsl.Conv2D;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dropout;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Loss;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.MaxPool2D;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Training;
import dev.latent.dsl.UpSampling2D;

/**
 * A model with what the seed's models lack, for the test kit: batch normalisation (running
 * statistics among its parameters), dropout (random in training, off in inference), upsampling,
 * an image code, data in [-1, 1] with a tanh output, masking noise and the MAE loss. None of it
 * translates to the SameDiff engine, so it runs on DL4J's layer API.
 */
// Its layers have the shape of the engine matrix's conv chains, as a small conv denoiser's would;
// each model is a whole declaration of its own.
@Autoencoder(inputShape = {28, 28, 1}, range = DataRange.SYMMETRIC)
@Noise(gaussian = 0.1, masking = 0.1)
@Loss(LossFunction.MAE)
@Training(batchSize = 32, learningRate = 3e-3)
public interface RegularisedDenoiser {

    @Encoder
    interface Encode {
        @Conv2D(8) void conv1();
        @BatchNormalization void norm1();
        @MaxPool2D(2) void pool1();
        @Dropout(0.1) void drop1();
        @Conv2D(4) void code();
    }

    @Decoder
    interface Decode {
        @UpSampling2D(2) void up1();
        @Conv2D(8) void conv1();
        @Conv2D(filters = 1, activation = Activation.TANH) void pixels();
    }
}
