package dev.latent.examples.report;

import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.settings.EpochHealth;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The report of one training run, as a folder that opens in a browser from the disk:
 * {@code index.html} with the verdict and its numbers, the settings and data, the epochs with
 * their inside measurements and the model's layer table; {@code loss-curves.png} (train and
 * validation loss per epoch against the identity and mean-image baselines) and
 * {@code samples.png} (clean, noisy and denoised validation samples).
 */
public final class TrainingReport {
    /** The page. */
    public static final String INDEX = "index.html";
    /** The loss curves. */
    public static final String LOSS_CURVES = "loss-curves.png";
    /** The grid of samples. */
    public static final String SAMPLES = "samples.png";
    private static final int SAMPLES_SHOWN = 10;
    /** One colour per feature of a sequence plot (Tableau's ten), repeating past ten features. */
    private static final java.awt.Color[] FEATURE_COLOURS = {
        new java.awt.Color(0x1F77B4), new java.awt.Color(0xFF7F0E), new java.awt.Color(0x2CA02C),
        new java.awt.Color(0xD62728), new java.awt.Color(0x9467BD), new java.awt.Color(0x8C564B),
        new java.awt.Color(0xE377C2), new java.awt.Color(0x7F7F7F), new java.awt.Color(0xBCBD22),
        new java.awt.Color(0x17BECF)};

    private TrainingReport() {}

    /**
     * Writes the report into {@code dir} (created if missing).
     *
     * @param summary the model's layer table
     * @param validation the data the run validated on; its first samples are shown
     */
    public static void write(Path dir, TrainingResult result, String summary, Dataset validation) throws IOException {
        Files.createDirectories(dir);
        lossCurves(result).write(dir.resolve(LOSS_CURVES));
        Dataset shown = validation.head(Math.min(SAMPLES_SHOWN, validation.size()));
        INDArray noisy;
        try (Random random = Nd4j.getRandomFactory().getNewRandomInstance(result.seed() + 2)) {
            noisy = result.noise().toModel().corrupt(shown.features(), shown.range(), random);
        } catch (Exception e) {
            throw new IOException("cannot draw the samples' noise: " + e.getMessage(), e);
        }
        INDArray denoised = result.model().denoise(noisy);
        boolean sequence = shown.sampleShape().isSequence();
        if (sequence) {
            // A sequence as pixels is a strip a few rows high; its values over time say more.
            sequencePlot(shown.features(), noisy, denoised).write(dir.resolve(SAMPLES));
        } else {
            ImageGrid.write(dir.resolve(SAMPLES), "Validation samples: clean, noisy, denoised", List.of(
                    ImageRow.of("clean", shown.features(), shown.sampleShape()),
                    ImageRow.of("noisy", noisy, shown.sampleShape()),
                    ImageRow.of("denoised", denoised, shown.sampleShape())), 3);
        }

        new HtmlPage("Latent training report: " + result.modelName())
                .verdict(result.verdict().name(), "(" + result.verdict().meaning() + ")")
                .paragraph(result.diagnosis().summary())
                .paragraph(result.diagnosis().advice())
                .image(LOSS_CURVES, "train and validation loss per epoch, with the identity and mean-image baselines")
                .image(SAMPLES, sequence ? "the first validation sequence, clean, noisy and denoised, feature by feature"
                        : "clean, noisy and denoised validation samples")
                .heading("Epochs")
                .table(epochRows(result))
                .heading("Settings, data and result")
                .preformatted(result.toString())
                .heading("Model")
                .preformatted(summary)
                .heading("Engine: what trained each layer")
                .preformatted(result.model().enginePlan().map(Object::toString).orElse("not planned"))
                .write(dir.resolve(INDEX));
    }

    /**
     * The first of {@code [n, F, T]} sequences: one colour per feature, and per kind one line style:
     * clean solid, noisy dashed, denoised dotted, so a feature's three lines match up.
     */
    static XyPlot sequencePlot(INDArray clean, INDArray noisy, INDArray denoised) {
        XyPlot plot = new XyPlot("First validation sequence: colour = feature; clean solid, noisy dashed, "
                + "denoised dotted", "time step", "value (scaled)");
        long features = clean.size(1);
        double[] steps = new double[(int) clean.size(2)];
        for (int t = 0; t < steps.length; t++) {
            steps[t] = t;
        }
        for (int f = 0; f < features; f++) {
            java.awt.Color colour = FEATURE_COLOURS[f % FEATURE_COLOURS.length];
            String name = "feature " + (f + 1);
            plot.line(new XyPlot.Line(name + " clean (solid)", steps, row(clean, f), XyPlot.Style.SOLID, colour));
            plot.line(new XyPlot.Line(name + " noisy (dashed)", steps, row(noisy, f), XyPlot.Style.DASHED, colour));
            plot.line(new XyPlot.Line(name + " denoised (dotted)", steps, row(denoised, f), XyPlot.Style.DOTTED,
                    colour));
        }
        return plot;
    }

    private static double[] row(INDArray sequences, int feature) {
        return sequences.slice(0).getRow(feature).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
    }

    static XyPlot lossCurves(TrainingResult result) {
        List<EpochStats> epochs = result.epochs();
        double[] x = epochs.stream().mapToDouble(EpochStats::epoch).toArray();
        double first = x.length == 0 ? 1 : x[0];
        double last = x.length == 0 ? 1 : x[x.length - 1];
        return new XyPlot(result.modelName() + ": " + result.loss() + " per epoch", "epoch", "loss").integerX()
                .line(new XyPlot.Line("train", x, epochs.stream().mapToDouble(EpochStats::trainLoss).toArray(), false))
                .line(new XyPlot.Line("validation", x, epochs.stream().mapToDouble(EpochStats::validationLoss).toArray(),
                        false))
                .line(XyPlot.Line.level("identity baseline", first, last, result.baselines().identityLoss(), null))
                .line(XyPlot.Line.level("mean-image baseline", first, last, result.baselines().meanLoss(), null));
    }

    private static List<List<String>> epochRows(TrainingResult result) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("epoch", "train", "validation", "learning rate", "steps", "dead code", "update ratio (log10)",
                "samples/s"));
        for (EpochStats e : result.epochs()) {
            EpochHealth h = e.health();
            rows.add(List.of(Integer.toString(e.epoch()), number(e.trainLoss()), number(e.validationLoss()),
                    number(e.learningRate()), Integer.toString(e.batches()),
                    h == null ? "" : String.format(Locale.ROOT, "%.0f%% of %d", 100 * h.deadCodeShare(),
                            h.codeVariances().size()),
                    h == null ? "" : String.format(Locale.ROOT, "%.1f", h.medianLogUpdateRatio()),
                    String.format(Locale.ROOT, "%,.0f", e.samplesPerSecond())));
        }
        return rows;
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4g", value) : String.valueOf(value);
    }
}
