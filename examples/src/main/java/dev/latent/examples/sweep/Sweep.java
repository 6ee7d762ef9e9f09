package dev.latent.examples.sweep;

import dev.latent.examples.cli.DataSources;
import dev.latent.examples.report.HtmlPage;
import dev.latent.examples.report.XyPlot;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.train.DenoisingTrainer;
import dev.latent.runtime.train.NoiseCalibration;
import dev.latent.runtime.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code sweep} command: any model trained briefly at each Gaussian noise level, a table and
 * a plot of its validation loss against the clean data and the two baselines, and the level
 * {@link NoiseCalibration} recommends. Writes {@code sweep.csv}, {@code sweep.png} and
 * {@code index.html} into the output folder.
 */
public final class Sweep {
    /** The default levels: from barely there to the width of a unit range. */
    public static final double[] DEFAULT_LEVELS = {0.05, 0.1, 0.2, 0.5, 1.0};

    private final AutoencoderNetwork network;
    private final DataSources.TrainTest data;
    private final double[] levels;
    private final int epochs;
    private final Path out;
    private final PrintStream console;

    public Sweep(AutoencoderNetwork network, DataSources.TrainTest data, double[] levels, int epochs, Path out,
            PrintStream console) {
        this.network = network;
        this.data = data;
        this.levels = levels.clone();
        this.epochs = epochs;
        this.out = out;
        this.console = console;
    }

    /** Trains, prints the table and the recommendation, writes the report; returns the calibration. */
    public NoiseCalibration run() {
        console.printf(Locale.ROOT, "%s, %d epoch%s per level, noise otherwise as declared (%s)%n", network.modelName(),
                epochs, epochs == 1 ? "" : "s", network.noise());
        NoiseCalibration calibration = NoiseCalibration.sweep(
                () -> DenoisingTrainer.of(network).epochs(epochs).quiet(), levels, data.train(), data.test());
        String table = table(calibration);
        console.print(table);
        String recommendation = recommendation(calibration, network.noise());
        console.println(recommendation);
        write(calibration, table, recommendation);
        console.println("report: " + out.resolve("index.html"));
        return calibration;
    }

    /**
     * The line that recommends a level: the whole {@code @Noise} annotation to paste, the model's
     * other noise settings (masking, clipping, resampling) kept, since the sweep changed only the
     * Gaussian level.
     */
    static String recommendation(NoiseCalibration calibration, NoiseSettings declared) {
        return calibration.recommended()
                .map(l -> "recommended: " + recommendedNoise(declared, l.gaussian()) + ": " + calibration.reason())
                .orElse("no recommendation: " + calibration.reason());
    }

    /** {@code @Noise(gaussian = 0.05, masking = 0.2)} for a model declaring masking 0.2. */
    static String recommendedNoise(NoiseSettings declared, double gaussian) {
        if (declared.isCustom()) {
            return String.format(Locale.ROOT, "gaussian = %s (the model's own noise is %s, which the sweep's levels "
                    + "did not change)", gaussian, declared);
        }
        return declared.withGaussian(gaussian).toAnnotation();
    }

    static String table(NoiseCalibration calibration) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%9s %10s %10s %11s %13s %12s  %s%n", "gaussian",
                "val loss", "identity", "mean image", "mean removed", "vs identity", "verdict"));
        for (NoiseCalibration.Level level : calibration.levels()) {
            TrainingResult r = level.result();
            double toIdentity = r.baselines().ratioToIdentity(level.validationLoss());
            t.append(String.format(Locale.ROOT, "%9.3f %10.4f %10.4f %11.4f %12.0f%% %12s  %s%n", level.gaussian(),
                    level.validationLoss(), r.baselines().identityLoss(), r.baselines().meanLoss(),
                    100 * r.baselines().shareOfMeanRemoved(level.validationLoss()),
                    Double.isFinite(toIdentity) ? String.format(Locale.ROOT, "%.2fx", toIdentity) : "(no noise)",
                    r.verdict()));
        }
        return t.toString();
    }

    private void write(NoiseCalibration calibration, String table, String recommendation) {
        try {
            Files.createDirectories(out);
            double[] x = calibration.levels().stream().mapToDouble(NoiseCalibration.Level::gaussian).toArray();
            XyPlot plot = new XyPlot(network.modelName() + ": validation loss by noise level", "gaussian noise (std dev)",
                    "loss against the clean data")
                    .line(new XyPlot.Line("model", x, values(calibration, l -> l.validationLoss()), false))
                    .line(new XyPlot.Line("identity baseline", x,
                            values(calibration, l -> l.result().baselines().identityLoss()), true))
                    .line(new XyPlot.Line("mean-image baseline", x,
                            values(calibration, l -> l.result().baselines().meanLoss()), true));
            if (Arrays.stream(x).allMatch(v -> v > 0)) {
                plot.logX();
            }
            plot.write(out.resolve("sweep.png"));
            StringBuilder csv = new StringBuilder("gaussian,validation_loss,identity,mean_image,verdict\n");
            List<List<String>> rows = new ArrayList<>(List.of(List.of("gaussian", "validation loss", "identity",
                    "mean image", "verdict")));
            for (NoiseCalibration.Level l : calibration.levels()) {
                TrainingResult r = l.result();
                csv.append(String.format(Locale.ROOT, "%s,%.6f,%.6f,%.6f,%s%n", l.gaussian(), l.validationLoss(),
                        r.baselines().identityLoss(), r.baselines().meanLoss(), r.verdict()));
                rows.add(List.of(Double.toString(l.gaussian()), String.format(Locale.ROOT, "%.4f", l.validationLoss()),
                        String.format(Locale.ROOT, "%.4f", r.baselines().identityLoss()),
                        String.format(Locale.ROOT, "%.4f", r.baselines().meanLoss()), r.verdict().name()));
            }
            Files.writeString(out.resolve("sweep.csv"), csv, StandardCharsets.UTF_8);
            new HtmlPage("Latent noise sweep: " + network.modelName())
                    .paragraph(recommendation)
                    .image("sweep.png", "validation loss by noise level, with the identity and mean-image baselines")
                    .table(rows)
                    .preformatted(table)
                    .write(out.resolve("index.html"));
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the sweep report: " + e.getMessage(), e);
        }
    }

    private static double[] values(NoiseCalibration calibration,
            java.util.function.ToDoubleFunction<NoiseCalibration.Level> value) {
        return calibration.levels().stream().mapToDouble(value).toArray();
    }
}
