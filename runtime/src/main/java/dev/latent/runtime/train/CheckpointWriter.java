package dev.latent.runtime.train;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.TrainingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.rng.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run's checkpoints after each epoch: {@code last.zip}, the model with everything a resume
 * needs ({@link Checkpoint}), and {@code best.zip}, the model of the best epoch so far.
 */
final class CheckpointWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DenoisingTrainer.class);
    private final Path directory;
    private final AutoencoderNetwork network;
    private final TrainingSettings settings;
    private final NoiseSettings noise;
    private final LossSettings loss;
    private final int trainingSize;
    private final int validationSize;
    private final int blockSize;

    /**
     * A writer into {@code directory}, created if missing, for a run of {@code network} with these
     * settings on these data.
     *
     * @throws UncheckedIOException naming the folder if it cannot be created
     */
    CheckpointWriter(Path directory, AutoencoderNetwork network, TrainingSettings settings, NoiseSettings noise,
            LossSettings loss, int trainingSize, int validationSize, int blockSize) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(directory + ": cannot create the checkpoint directory (" + e.getMessage()
                    + "); choose a writable folder", e);
        }
        this.directory = directory;
        this.network = network;
        this.settings = settings;
        this.noise = noise;
        this.loss = loss;
        this.trainingSize = trainingSize;
        this.validationSize = validationSize;
        this.blockSize = blockSize;
    }

    /**
     * Writes the checkpoints of {@code epoch}, with {@code model} holding its parameters, the
     * generators as the next epoch will start them, and {@code improved} saying whether it is the
     * best so far.
     */
    void write(Denoiser model, int epoch, List<EpochStats> history, EarlyStopping stopping, boolean improved,
            Random noiseRandom, ShufflingRandom shuffler) {
        // last.zip first: it alone is what a resume reads, and it must never lag behind best.zip.
        Checkpoint state = new Checkpoint(network.modelName(), settings, noise.toString(), loss.toString(),
                trainingSize, validationSize, blockSize, epoch, history, stopping.best(), stopping.bestEpoch(),
                stopping.sinceBest(), stopping.bestEpoch() == epoch ? null : stopping.bestParameters(),
                noiseRandom.rootState(), noiseRandom.nodeState(), shuffler, stopping.stopped());
        model.save(directory.resolve(DenoisingTrainer.LAST_CHECKPOINT), state.entries());
        if (improved) {
            model.save(directory.resolve(DenoisingTrainer.BEST_CHECKPOINT));
        }
        LOG.debug("{}: epoch {} checkpoint written to {}", network.modelName(), epoch, directory);
    }
}
