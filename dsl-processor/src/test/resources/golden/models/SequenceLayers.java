package dev.latent.golden;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.BatchNormalization;
import dev.latent.dsl.Conv1D;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Dropout;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.LSTM;
import dev.latent.dsl.Loss;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.MaxPool1D;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Padding;
import dev.latent.dsl.Reshape;
import dev.latent.dsl.Training;
import dev.latent.dsl.UpSampling1D;

/** Every sequence layer, with batch normalisation and dropout on sequences, for the golden files. */
@Autoencoder(inputShape = {24, 3}, range = DataRange.SYMMETRIC)
@Noise(gaussian = 0.2, masking = 0.1)
@Loss(LossFunction.MSE)
@Training(epochs = 5, batchSize = 32, learningRate = 1e-3, seed = 7)
public interface SequenceLayers {

    @Encoder
    interface Encode {
        @Conv1D(filters = 16, kernel = 5) void conv();
        @BatchNormalization void norm();
        @MaxPool1D(2) void pool();
        @Dropout(0.1) void drop();
        @LSTM(units = 32, returnSequences = true) void steps();
        @LSTM(units = 16, activation = Activation.TANH) void code();
    }

    @Decoder
    interface Decode {
        @Dense(12 * 8) void expand();
        @Reshape({12, 8}) void unflatten();
        @UpSampling1D(2) void up();
        @Conv1D(filters = 8, strides = 1, padding = Padding.SAME) void conv();
        @Dropout(rate = 0.2) void drop();
        @Conv1D(filters = 3, activation = Activation.TANH) void values();
    }
}
