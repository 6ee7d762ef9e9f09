package dev.latent.runtime.train;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.model.file.ModelFileException;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What resuming a run checks and restores: the engine from its checkpoint, and that the run is the same one. */
final class Resumption {
    private static final Logger LOG = LoggerFactory.getLogger(DenoisingTrainer.class);

    private Resumption() {}

    static Engine engine(AutoencoderNetwork network, Path last, TrainingSettings settings, LossSettings lossSettings) {
        try {
            return Engines.resume(last, network, settings, lossSettings);
        } catch (ModelFileException e) {
            // Names the file and what is wrong with it already.
            throw new IllegalArgumentException(e.getMessage() + "; resume from another checkpoint or train anew", e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(last + ": cannot restore the network to resume ("
                    + (e.getMessage() == null ? "no further detail" : e.getMessage())
                    + "); resume from another checkpoint or train anew", e);
        }
    }

    // A checkpoint continues the run that wrote it; other data or noise would silently train another model.
    static void requireSameRun(AutoencoderNetwork network, Checkpoint resumed, Path source, int trainSamples, int validationSamples,
            NoiseSettings noiseSettings, LossSettings lossSettings) {
        if (!resumed.modelName().equals(network.modelName())) {
            throw new IllegalArgumentException(source + ": a checkpoint of " + resumed.modelName() + ", not of "
                    + network.modelName());
        }
        if (resumed.trainSamples() != trainSamples || resumed.validationSamples() != validationSamples) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: the run trained on %,d samples and "
                    + "validated on %,d; this data has %,d and %,d. Resume with the same data and validationSplit.",
                    source, resumed.trainSamples(), resumed.validationSamples(), trainSamples, validationSamples));
        }
        if (!resumed.noise().equals(noiseSettings.toString()) || !resumed.loss().equals(lossSettings.toString())) {
            throw new IllegalArgumentException(source + ": the run trained with noise " + resumed.noise() + " and loss "
                    + resumed.loss() + "; this trainer has " + noiseSettings + " and " + lossSettings);
        }
    }

    // A run killed while saving leaves its scratch file (".last.zip-<uuid>.tmp", ".dl4j-<n>.tmp") beside
    // the checkpoints; the renamed files never depend on them, so a resume clears them away.
    static void removeScratchFiles(Path directory) {
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                    LOG.info("removed {}, left by an interrupted save", file);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clear scratch files in {}: {}", directory, e.getMessage());
        }
    }
}
