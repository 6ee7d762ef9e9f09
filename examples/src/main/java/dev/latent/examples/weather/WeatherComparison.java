package dev.latent.examples.weather;

import dev.latent.dsl.DataRange;
import dev.latent.examples.cli.DataSources;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.noise.StandardNoise;
import dev.latent.runtime.train.TrainingResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link WeatherDenoiser} against the baselines on the embedded Seattle series: trained on the
 * first 80% of the windows, measured on the last 20% (later in the year, never seen), each test
 * window corrupted once with the model's own noise from a fixed seed. Every figure is the mean
 * squared error to the clean window, in standardised units (1.0 is a column's variance).
 */
public final class WeatherComparison {
    /** The embedded series, a row per hour: date, pressure, temperature, wind. */
    public static final String RESOURCE = "/dev/latent/examples/weather/seattle-weather-hourly-normals.csv";
    private static final List<String> COLUMNS = List.of("pressure", "temperature", "wind");
    private static final int[] MOVING_AVERAGE_WIDTHS = {3, 5, 7, 9};

    /** The errors measured, and the training result behind the model's. */
    public record Outcome(double identity, double mean, double movingAverage, int movingAverageWidth, double model,
            TrainingResult training) {}

    private final int epochs;
    private final int stride;
    private final PrintStream out;

    /**
     * @param epochs training epochs
     * @param stride rows between window starts (1: a window at every hour)
     */
    public WeatherComparison(int epochs, int stride, PrintStream out) {
        this.epochs = epochs;
        this.stride = stride;
        this.out = out;
    }

    /** Trains, measures and prints one row per method. */
    public Outcome run() {
        DataSources.TrainTest data = data(stride);
        TrainingResult result = WeatherDenoiserTrainer.create().epochs(epochs).quiet().fit(data.train(), data.test());
        Dataset test = data.test();
        INDArray clean = test.features();
        INDArray noisy = new StandardNoise(WeatherDenoiserNetwork.NOISE.gaussian(), 0, 0, false)
                .corrupt(clean, DataRange.UNBOUNDED, Nd4j.getRandomFactory().getNewRandomInstance(2026));
        double identity = mse(noisy, clean);
        double mean = mse(data.train().mean().broadcast(clean.shape()), clean);
        double bestFilter = Double.MAX_VALUE;
        int bestWidth = 0;
        for (int width : MOVING_AVERAGE_WIDTHS) {
            double error = mse(movingAverage(noisy, width), clean);
            if (error < bestFilter) {
                bestFilter = error;
                bestWidth = width;
            }
        }
        Denoiser model = result.model();
        double denoised = mse(model.denoise(noisy), clean);
        Outcome outcome = new Outcome(identity, mean, bestFilter, bestWidth, denoised, result);
        out.printf(Locale.ROOT, "%s: %,d training and %,d test windows of %s, noise gaussian %.2f, %d epochs%n",
                "weather", data.train().size(), test.size(), test.sampleShape(), WeatherDenoiserNetwork.NOISE.gaussian(), epochs);
        out.printf(Locale.ROOT, "%-32s %10s%n", "method", "test MSE");
        out.printf(Locale.ROOT, "%-32s %10.4f%n", "identity (the noisy input)", identity);
        out.printf(Locale.ROOT, "%-32s %10.4f%n", "mean window", mean);
        out.printf(Locale.ROOT, "%-32s %10.4f%n", "moving average, best width " + bestWidth, bestFilter);
        out.printf(Locale.ROOT, "%-32s %10.4f%n", "WeatherDenoiser (" + WeatherDenoiserNetwork.PARAMETER_COUNT + " params)",
                denoised);
        return outcome;
    }

    /** The embedded series as windows of 24 hours, split 80/20 in time, standardised on the first part. */
    public static DataSources.TrainTest data(int stride) {
        Path file = extract();
        try {
            return DataSources.load(file.toString(), DataRange.UNBOUNDED, WeatherDenoiserNetwork.INPUT_SHAPE, 0.2,
                    new DataSources.Windows(stride, COLUMNS));
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temporary file; the system cleans it up.
            }
        }
    }

    /**
     * A centred moving average of {@code width} steps along the time axis of {@code [n, F, T]}
     * sequences, over the steps that exist at the edges.
     */
    static INDArray movingAverage(INDArray sequences, int width) {
        long[] shape = sequences.shape();
        int steps = (int) shape[2];
        float[] in = sequences.dup('c').data().asFloat();
        float[] out = new float[in.length];
        int half = width / 2;
        for (int row = 0; row < in.length / steps; row++) {
            int base = row * steps;
            for (int t = 0; t < steps; t++) {
                int from = Math.max(0, t - half);
                int to = Math.min(steps - 1, t + half);
                double sum = 0;
                for (int u = from; u <= to; u++) {
                    sum += in[base + u];
                }
                out[base + t] = (float) (sum / (to - from + 1));
            }
        }
        return Nd4j.create(out, shape, 'c');
    }

    private static double mse(INDArray a, INDArray b) {
        INDArray difference = a.castTo(b.dataType()).sub(b);
        return difference.mul(difference).meanNumber().doubleValue();
    }

    private static Path extract() {
        try (InputStream in = WeatherComparison.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the embedded series " + RESOURCE + " is missing from the jar");
            }
            Path file = Files.createTempFile("seattle-weather", ".csv");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the embedded series: " + e.getMessage(), e);
        }
    }
}
