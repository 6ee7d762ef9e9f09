package dev.latent.golden;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.BatchNormalization;
import dev.latent.dsl.Conv2D;
import dev.latent.dsl.Conv2DTranspose;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dropout;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.MaxPool2D;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Training;
import dev.latent.dsl.UpSampling2D;

/** Batch normalisation and dropout between image layers, for the golden files. */
@Autoencoder(inputShape = {28, 28, 1})
@Noise(gaussian = 0.2)
@Training(epochs = 3, batchSize = 64)
public interface RegularisedConv {

    @Encoder
    interface Encode {
        @Conv2D(16) void conv1();
        @BatchNormalization(momentum = 0.9, epsilon = 1e-3) void norm1();
        @MaxPool2D(2) void pool1();
        @Dropout(0.25) void drop1();
        @Conv2D(filters = 8, strides = 2) void code();
    }

    @Decoder
    interface Decode {
        @UpSampling2D(2) void up1();
        @Conv2D(16) void conv2();
        @BatchNormalization void norm2();
        @Dropout(rate = 0.1) void drop2();
        @Conv2DTranspose(filters = 1, strides = 2, activation = Activation.SIGMOID) void pixels();
    }
}
