package dev.latent.examples.calibrate;

import dev.latent.dsl.DataRange;
import dev.latent.dsl.Optimizer;
import dev.latent.dsl.Resample;
import dev.latent.examples.cli.DataSources;
import dev.latent.examples.seed.SeedExample1Trainer;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.train.DenoisingTrainer;
import dev.latent.runtime.train.TrainingResult;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.activations.Activation;

/**
 * The experiments behind the lint warnings' thresholds ({@code calibrate EXPERIMENT}): each trains
 * short runs on the embedded digits across a grid of the attribute one warning checks, and prints
 * one row per run against the run's own identity and mean-image baselines, with the runtime's
 * verdict. Every run is seeded, so a rerun prints the same losses.
 */
public final class Calibration {
    /** The experiments, in the order {@code all} runs them. */
    public static final List<String> EXPERIMENTS = List.of("noise", "static", "code", "encoder", "decoder",
            "activation", "batch", "batch-time", "learning-rate");

    private static final double[] NOISE_LEVELS = {0.0, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0, 1.5, 2.0, 3.0};
    /** The architecture experiments train on half the digits: a minute each on one core. */
    private static final int SMALL_TRAIN = 4_000;
    private static final int SMALL_TEST = 1_000;

    private final Integer epochs;
    private final PrintStream out;
    private DataSources.TrainTest full;

    /**
     * @param epochs epochs per run, or {@code null} for each experiment's own default
     * @param out where the tables go
     */
    public Calibration(Integer epochs, PrintStream out) {
        this.epochs = epochs;
        this.out = out;
    }

    /**
     * Runs one experiment, or {@code all}.
     *
     * @throws IllegalArgumentException if {@code experiment} names none
     */
    public void run(String experiment) {
        switch (experiment) {
            case "all" -> EXPERIMENTS.forEach(this::run);
            case "noise" -> noise();
            case "static" -> staticNoise();
            case "code" -> code();
            case "encoder" -> encoder();
            case "decoder" -> decoder();
            case "activation" -> activation();
            case "batch" -> batch();
            case "batch-time" -> batchAtEqualTime();
            case "learning-rate" -> learningRate();
            default -> throw new IllegalArgumentException("no experiment '" + experiment + "'; use one of "
                    + String.join(", ", EXPERIMENTS) + " or all");
        }
    }

    /** Noise level against loss: the seed's dense network, 8,000 / 2,000 digits (noise-too-strong, noise-too-weak). */
    private void noise() {
        int n = epochs(5);
        DataSources.TrainTest digits = digits(DataRange.UNIT);
        title("noise", "SeedExample1's network, gaussian noise from 0 to 3, %d epochs, 8,000 train / 2,000 test digits", n);
        for (double level : NOISE_LEVELS) {
            TrainingResult r = SeedExample1Trainer.create().epochs(n).quiet()
                    .noise(NoiseSettings.none().withGaussian(level)).fit(digits.train(), digits.test());
            row(String.format(Locale.ROOT, "gaussian %.2f", level), r, 0);
        }
    }

    /** Fresh noise against one fixed draw, long enough for the fixed draw to be learned (static-noise). */
    private void staticNoise() {
        int n = epochs(20);
        title("static", "the seed's dense network, gaussian 0.5, %d epochs, 4,000 train / 1,000 test digits", n);
        for (Resample resample : Resample.values()) {
            run(resample.name(), DenseProbe.seedWithCode(32), t -> t.epochs(n)
                    .noise(NoiseSettings.gaussian(0.5).withResample(resample)));
        }
    }

    /** Code width against loss (narrow-code). */
    private void code() {
        int n = epochs(10);
        title("code", "784-128-CODE-128-784, gaussian 0.5, %d epochs, 4,000 train / 1,000 test digits", n);
        for (int code : new int[] {1, 2, 3, 4, 8, 16, 32, 64}) {
            run("code " + code, DenseProbe.seedWithCode(code), t -> t.epochs(n));
        }
    }

    /**
     * Encoder depth, and a convolution, against loss at equal epochs (shallow-encoder): the first
     * four with the seed's dense decoder, the last two with a decoder that ends in a transposed
     * convolution. Two noise levels: at 0.2 the seed's dense network could not beat the identity.
     */
    private void encoder() {
        int n = epochs(10);
        title("encoder", "encoders to a code of 32; decoder 128-784, or 196-reshape-transposed conv (conv decoder); "
                + "%d epochs, 4,000 train / 1,000 test digits", n);
        for (double gaussian : new double[] {0.2, 0.5}) {
            UnaryOperator<DenoisingTrainer<?>> settings = t -> t.epochs(n).noise(NoiseSettings.gaussian(gaussian));
            String at = String.format(Locale.ROOT, ", gaussian %.1f", gaussian);
            run("dense 32" + at, new DenseProbe("dense 32", new int[] {32}, new int[] {128},
                    Activation.SIGMOID, DataRange.UNIT), settings);
            run("dense 128-32" + at, DenseProbe.seedWithCode(32), settings);
            run("dense 256-128-32" + at, new DenseProbe("dense 256-128-32", new int[] {256, 128, 32}, new int[] {128},
                    Activation.SIGMOID, DataRange.UNIT), settings);
            run("conv16-pool-32" + at, new ConvEncoderProbeNetwork(), settings);
            run("dense 128-32, conv decoder" + at, new ConvDecoderProbeNetwork(), settings);
            run("conv16-pool-32, conv decoder" + at, new ConvProbeNetwork(), settings);
        }
    }

    /** A decoder of one layer against one with a hidden layer, across code widths (shallow-decoder). */
    private void decoder() {
        int n = epochs(10);
        title("decoder", "encoder 784-128-CODE, decoder CODE-784 or CODE-128-784, gaussian 0.5, %d epochs, "
                + "4,000 train / 1,000 test digits", n);
        for (int code : new int[] {4, 8, 16, 32, 64, 196}) {
            for (int[] hidden : new int[][] {{}, {128}}) {
                String name = "code " + code + (hidden.length == 0 ? ", one layer" : ", hidden 128");
                run(name, new DenseProbe(name, new int[] {128, code}, hidden, Activation.SIGMOID, DataRange.UNIT),
                        t -> t.epochs(n));
            }
        }
    }

    /**
     * Output activation against the data's range (output-activation-range): every activation on
     * each range, noise a quarter of the range's width (0.5 on standardised data, whose values
     * mostly lie within two standard deviations either side).
     */
    private void activation() {
        int n = epochs(5);
        title("activation", "the seed's dense network with each output activation, gaussian a quarter of the "
                + "range's width, %d epochs, 4,000 train / 1,000 test digits", n);
        for (DataRange range : DataRange.values()) {
            double gaussian = range.isBounded() ? 0.5 * (range.max() - range.min()) : 1.0;
            for (dev.latent.dsl.Activation a : dev.latent.dsl.Activation.values()) {
                String name = range + ", " + a;
                run(name, new DenseProbe(name, new int[] {128, 32}, new int[] {128}, toDl4j(a), range),
                        t -> t.epochs(n).noise(NoiseSettings.gaussian(gaussian)));
            }
        }
    }

    private static Activation toDl4j(dev.latent.dsl.Activation activation) {
        return switch (activation) {
            case IDENTITY -> Activation.IDENTITY;
            case RELU -> Activation.RELU;
            case LEAKY_RELU -> Activation.LEAKYRELU;
            case ELU -> Activation.ELU;
            case SIGMOID -> Activation.SIGMOID;
            case TANH -> Activation.TANH;
            case SOFTPLUS -> Activation.SOFTPLUS;
        };
    }

    /** Batch size against loss at equal epochs; the seconds column is the price (small-batch). */
    private void batch() {
        int n = epochs(3);
        title("batch", "the seed's dense network, Adam 1e-3, gaussian 0.5, %d epochs, 4,000 train / 1,000 test digits", n);
        for (int size : new int[] {1, 2, 4, 8, 16, 32, 64, 256}) {
            run("batch " + size, DenseProbe.seedWithCode(32), t -> t.epochs(n).batchSize(size));
        }
    }

    /**
     * Batch size against loss at about equal time (small-batch): each size gets the epochs that
     * took as long as batch 8's three on this machine (2 cores, one native thread: 42 s), from
     * the epoch times {@code calibrate batch} measured here. Fixed epochs rather than a clock,
     * so that a rerun trains the same runs; on another machine the seconds differ.
     */
    private void batchAtEqualTime() {
        title("batch-time", "the seed's dense network, Adam 1e-3, gaussian 0.5, about 40 s each here (%d epochs for "
                + "batch 8), 4,000 train / 1,000 test digits", 3);
        int[][] sizeAndEpochs = {{8, 3}, {16, 9}, {32, 18}, {64, 36}, {256, 34}};
        for (int[] pair : sizeAndEpochs) {
            run("batch " + pair[0] + ", " + pair[1] + " epochs", DenseProbe.seedWithCode(32),
                    t -> t.epochs(pair[1]).batchSize(pair[0]));
        }
    }

    /** Learning rate against loss for each optimizer (learning-rate). */
    private void learningRate() {
        int n = epochs(10);
        title("learning-rate", "the seed's dense network, batch 64, gaussian 0.5, %d epochs, 4,000 train / 1,000 test digits", n);
        for (Optimizer optimizer : Optimizer.values()) {
            for (double rate : new double[] {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100}) {
                run(String.format(Locale.ROOT, "%s %.0e", optimizer, rate), DenseProbe.seedWithCode(32),
                        t -> t.epochs(n).optimizer(optimizer).learningRate(rate));
            }
        }
    }

    private void run(String name, AutoencoderNetwork network, UnaryOperator<DenoisingTrainer<?>> settings) {
        DataSources.TrainTest digits = digits(network.range());
        DenoisingTrainer<?> trainer = settings.apply(DenoisingTrainer.of(network).quiet());
        long start = System.nanoTime();
        // SameDiff prints every op it differentiates on System.out, which would split the table.
        PrintStream console = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        TrainingResult r;
        try {
            r = trainer.fit(digits.train().head(SMALL_TRAIN), digits.test().head(SMALL_TEST));
        } finally {
            System.setOut(console);
        }
        row(name, r, (System.nanoTime() - start) / 1e9);
    }

    private DataSources.TrainTest digits(DataRange range) {
        if (full == null || full.train().range() != range) {
            full = DataSources.mnist(range);
        }
        return full;
    }

    private int epochs(int byDefault) {
        return epochs != null ? epochs : byDefault;
    }

    private void title(String experiment, String format, int n) {
        out.printf(Locale.ROOT, "%ncalibrate %s: " + format + "%n", experiment, n);
        out.printf(Locale.ROOT, "%-40s %10s %10s %11s %13s %12s %8s  %s%n", "run", "test loss", "identity",
                "mean image", "mean removed", "vs identity", "seconds", "verdict");
    }

    private void row(String name, TrainingResult r, double seconds) {
        double loss = r.finalValidationLoss();
        double removed = r.baselines().shareOfMeanRemoved(loss);
        double toIdentity = r.baselines().identityLoss() > 0 ? loss / r.baselines().identityLoss() : Double.POSITIVE_INFINITY;
        out.printf(Locale.ROOT, "%-40s %10.4f %10.4f %11.4f %12.0f%% %12s %8s  %s%n", name, loss,
                r.baselines().identityLoss(), r.baselines().meanLoss(), 100 * removed,
                Double.isFinite(toIdentity) ? String.format(Locale.ROOT, "%.2fx", toIdentity) : "(no noise)",
                seconds > 0 ? String.format(Locale.ROOT, "%.1f", seconds) : "", r.diagnosis().verdict());
    }
}
