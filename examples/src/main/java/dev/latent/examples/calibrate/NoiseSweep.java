package dev.latent.examples.calibrate;

import dev.latent.dsl.DataRange;
import dev.latent.examples.cli.DataSources;
import dev.latent.examples.seed.SeedExample1Trainer;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.train.TrainingResult;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The experiment behind {@code latent:noise-too-strong} and {@code latent:noise-too-weak}: the
 * seed's dense model trained on the embedded digits at a range of Gaussian noise levels, each
 * measured against its own identity and mean-image baselines.
 */
public final class NoiseSweep {
    private static final double[] LEVELS = {0.0, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0, 1.5, 2.0, 3.0};

    private final int epochs;
    private final PrintStream out;

    public NoiseSweep(int epochs, PrintStream out) {
        this.epochs = epochs;
        this.out = out;
    }

    /** Trains once per level and prints one row each. */
    public void run() {
        DataSources.TrainTest digits = DataSources.mnist(DataRange.UNIT);
        out.printf(Locale.ROOT, "SeedExample1's network, %d epochs per level, 8,000 train / 2,000 test digits%n", epochs);
        out.printf(Locale.ROOT, "%9s %10s %10s %11s %13s %14s  %s%n", "gaussian", "test loss", "identity", "mean image",
                "mean removed", "vs identity", "verdict");
        for (double level : LEVELS) {
            TrainingResult r = SeedExample1Trainer.create().epochs(epochs).quiet()
                    .noise(NoiseSettings.none().withGaussian(level)).fit(digits.train(), digits.test());
            double loss = r.finalValidationLoss();
            double removed = 1 - loss / r.baselines().meanLoss();
            double toIdentity = r.baselines().identityLoss() > 0 ? loss / r.baselines().identityLoss() : Double.POSITIVE_INFINITY;
            out.printf(Locale.ROOT, "%9.2f %10.4f %10.4f %11.4f %12.0f%% %14s  %s%n", level, loss,
                    r.baselines().identityLoss(), r.baselines().meanLoss(), 100 * removed,
                    Double.isFinite(toIdentity) ? String.format(Locale.ROOT, "%.2fx", toIdentity) : "(no noise)",
                    r.diagnosis().verdict());
        }
    }
}
