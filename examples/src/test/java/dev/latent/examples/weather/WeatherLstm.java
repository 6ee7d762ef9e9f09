package dev.latent.examples.weather;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Conv1D;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.LSTM;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Reshape;
import dev.latent.dsl.Training;

/** A recurrent denoiser of the weather windows, to train LSTMs with and without returnSequences. */
@Autoencoder(inputShape = {24, 3}, range = DataRange.UNBOUNDED)
@Noise(gaussian = 0.3, clip = false)
@Training(epochs = 4, batchSize = 32, learningRate = 3e-3, seed = 7)
interface WeatherLstm {

    @Encoder
    interface Encode {
        @LSTM(units = 16, returnSequences = true) void steps();
        @LSTM(16) void code();
    }

    @Decoder
    interface Decode {
        @Dense(24 * 4) void expand();
        @Reshape({24, 4}) void steps();
        @LSTM(units = 16, returnSequences = true) void lstm();
        @Conv1D(filters = 3, kernel = 1, activation = Activation.IDENTITY) void values();
    }
}
