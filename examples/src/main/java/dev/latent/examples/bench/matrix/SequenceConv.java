package dev.latent.examples.bench.matrix;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Conv1D;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.Loss;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.MaxPool1D;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Training;
import dev.latent.dsl.UpSampling1D;

/**
 * The engine matrix's 1-D conv model: digits read as 28 steps (rows) of 28 features (columns),
 * kernels of 5 rows, pooled to a {14, 16} code and upsampled back.
 */
// The same headers as the matrix's other models (noise, loss, batch, rate), deliberately: the matrix
// compares engines on equal settings, and annotations cannot be shared between models.
@Autoencoder(inputShape = {28, 28})
@Noise(gaussian = 0.2)
@Loss(LossFunction.MSE)
@Training(batchSize = 64, learningRate = 1e-3)
public interface SequenceConv {

    @Encoder
    interface Encode {
        @Conv1D(filters = 32, kernel = 5) void conv1();
        @MaxPool1D(2) void pool1();
        @Conv1D(filters = 16, kernel = 5) void code();
    }

    @Decoder
    interface Decode {
        @UpSampling1D(2) void up1();
        @Conv1D(filters = 32, kernel = 5) void conv1();
        @Conv1D(filters = 28, kernel = 5, activation = Activation.SIGMOID) void rows();
    }
}
