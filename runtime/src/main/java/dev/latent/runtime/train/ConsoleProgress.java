package dev.latent.runtime.train;

import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.TrainingSettings;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * The default progress display: one line per epoch,
 * <pre>epoch  3/10  train 0.03124  val 0.02987  4,210 samples/s  12.3 s  ETA 40 s</pre>
 * and, on a terminal, a progress bar within the epoch (samples/s and the epoch's ETA), redrawn in
 * place at most five times a second. Not for use by two runs at once.
 */
public final class ConsoleProgress implements ProgressListener {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean bar;

    private int epochs;
    private int batchSize;
    private int trainSamples;
    private long epochStart;
    private long lastDraw;
    private int barLength;
    private double epochSecondsSum;
    private int epochsSeen;

    /** Prints to {@code out}, with an in-place progress bar when the JVM has a console. */
    public ConsoleProgress(PrintStream out) {
        this(out, System.console() != null);
    }

    /** Prints to {@code out}; {@code progressBar} turns the in-place bar on or off. */
    public ConsoleProgress(PrintStream out, boolean progressBar) {
        this.out = Objects.requireNonNull(out, "out");
        this.bar = progressBar;
    }

    @Override
    public void onStart(String modelName, TrainingSettings training, int trainSamples, int validationSamples) {
        this.epochs = training.epochs();
        this.batchSize = training.batchSize();
        this.trainSamples = trainSamples;
        this.epochSecondsSum = 0;
        this.epochsSeen = 0;
        String validation = validationSamples > 0
                ? String.format(Locale.ROOT, "validating on %,d", validationSamples)
                : "no validation set: validation loss measured on the training data";
        out.printf(Locale.ROOT, "Training %s on %,d samples, %s%n  %s%n", modelName, trainSamples, validation, training);
        startEpoch();
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, double loss) {
        if (!bar) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && batch < batches) {
            return;
        }
        lastDraw = now;
        double seconds = (now - epochStart) / 1e9;
        long samples = Math.min((long) batch * batchSize, trainSamples);
        double rate = seconds > 0 ? samples / seconds : 0;
        int filled = (int) ((long) BAR_WIDTH * batch / batches);
        String line = String.format(Locale.ROOT, "epoch %s [%s%s] %d/%d  loss %s  %s  ETA %s",
                epochLabel(epoch), "=".repeat(filled), " ".repeat(BAR_WIDTH - filled), batch, batches,
                Diagnosis.num(loss), rate(rate), duration(rate > 0 ? (trainSamples - samples) / rate : 0));
        out.print('\r' + line + " ".repeat(Math.max(0, barLength - line.length())));
        out.flush();
        barLength = line.length();
    }

    @Override
    public void onEpoch(EpochStats stats) {
        clearBar();
        epochSecondsSum += stats.seconds();
        epochsSeen++;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %s  train %s  val %s  %s  %.1f s",
                epochLabel(stats.epoch()), Diagnosis.num(stats.trainLoss()), Diagnosis.num(stats.validationLoss()),
                rate(stats.samplesPerSecond()), stats.seconds()));
        if (stats.epoch() < epochs) {
            line.append("  ETA ").append(duration((epochs - stats.epoch()) * epochSecondsSum / epochsSeen));
        }
        out.println(line);
        startEpoch();
    }

    @Override
    public void onEnd(TrainingResult result) {
        clearBar();
        Diagnosis diagnosis = result.diagnosis();
        out.printf(Locale.ROOT, "%s after %d epoch%s (%.1f s)%s: %s%n  %s%n", diagnosis.verdict(), result.epochs().size(),
                result.epochs().size() == 1 ? "" : "s", result.trainSeconds(),
                result.stoppedEarly() ? ", stopped early, best epoch " + result.bestEpoch() + " restored" : "",
                diagnosis.summary(), diagnosis.advice());
    }

    private void startEpoch() {
        epochStart = System.nanoTime();
        lastDraw = epochStart - REDRAW_NANOS;
    }

    private void clearBar() {
        if (barLength > 0) {
            out.print('\r' + " ".repeat(barLength) + '\r');
            barLength = 0;
        }
    }

    private String epochLabel(int epoch) {
        int width = Integer.toString(epochs).length();
        return String.format(Locale.ROOT, "%" + width + "d/%d", epoch, epochs);
    }

    private static String rate(double samplesPerSecond) {
        return String.format(Locale.ROOT, "%,.0f samples/s", samplesPerSecond);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
}
