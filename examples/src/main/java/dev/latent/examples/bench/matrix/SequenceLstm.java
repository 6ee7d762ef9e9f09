package dev.latent.examples.bench.matrix;

import dev.latent.dsl.Activation;
import dev.latent.dsl.Autoencoder;
import dev.latent.dsl.Conv1D;
import dev.latent.dsl.Decoder;
import dev.latent.dsl.Encoder;
import dev.latent.dsl.LSTM;
import dev.latent.dsl.Loss;
import dev.latent.dsl.LossFunction;
import dev.latent.dsl.Noise;
import dev.latent.dsl.Training;

/**
 * The engine matrix's recurrent model: digits read as 28 steps of 28 features through two LSTMs
 * of 64 returning sequences, each step mapped back to its 28 pixels by a 1-wide convolution.
 */
// The same headers as the matrix's other models (noise, loss, batch, rate), deliberately: the matrix
// compares engines on equal settings, and annotations cannot be shared between models.
@Autoencoder(inputShape = {28, 28})
@Noise(gaussian = 0.2)
@Loss(LossFunction.MSE)
@Training(batchSize = 64, learningRate = 1e-3)
public interface SequenceLstm {

    @Encoder
    interface Encode {
        @LSTM(units = 64, returnSequences = true) void lstm1();
        @LSTM(units = 64, returnSequences = true) void code();
    }

    @Decoder
    interface Decode {
        @Conv1D(filters = 28, kernel = 1, activation = Activation.SIGMOID) void rows();
    }
}
