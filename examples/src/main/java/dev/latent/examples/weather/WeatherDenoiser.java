package dev.latent.examples.weather;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Conv1D;
import dev.latent.dsl.DataRange;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Dense;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Flatten;
import dev.latent.dsl.Loss;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.MaxPool1D;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Reshape;
import dev.latent.dsl.Training;
import dev.latent.dsl.UpSampling1D;

/**
 * A denoiser of one day of Seattle's hourly weather: windows of 24 hours of pressure,
 * temperature and wind ({@code {24, 3}}), standardised per column, corrupted by gaussian noise of
 * 0.3 standard deviations. A 1-D convolutional encoder (kernels of 5 hours) down to a code of 48
 * values (two thirds of the window) and its mirror image as the decoder. See
 * {@link WeatherComparison} for how it compares with a moving-average filter: on this smooth
 * series of climate normals a 5-hour moving average is a strong baseline, which the network
 * matches (a smaller code of 24 values did not; nor did 30 epochs instead of 15).
 */
// Its conv layers have the shape of the engine matrix's SequenceConv, as any 1-D conv model's would;
// each model is a user's whole declaration (layers cannot be inherited, latent:inherited-layers).
@Autoencoder(inputShape = {24, 3}, range = DataRange.UNBOUNDED)
@Noise(gaussian = 0.3, clip = false)
@Loss(LossFunction.MSE)
@Training(epochs = 15, batchSize = 32, learningRate = 3e-3, seed = 42)
public interface WeatherDenoiser {

    @Encoder
    interface Encode {
        @Conv1D(filters = 32, kernel = 5) void conv1();
        @MaxPool1D(2) void pool();
        @Conv1D(filters = 16, kernel = 5) void conv2();
        @Flatten void flatten();
        @Dense(units = 48, activation = Activation.IDENTITY) void code();
    }

    @Decoder
    interface Decode {
        @Dense(12 * 16) void expand();
        @Reshape({12, 16}) void steps();
        @UpSampling1D(2) void up();
        @Conv1D(filters = 32, kernel = 5) void conv();
        @Conv1D(filters = 3, kernel = 5, activation = Activation.IDENTITY) void values();
    }
}
