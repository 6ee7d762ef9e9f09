package dev.latent.examples.bench;

import dev.latent.dsl.DataRange;
import dev.latent.examples.bench.matrix.ConvChainBatchNormNetwork;
import dev.latent.examples.bench.matrix.ConvChainDropoutNetwork;
import dev.latent.examples.bench.matrix.ConvChainNetwork;
import dev.latent.examples.bench.matrix.DenseRegularisedNetwork;
import dev.latent.examples.bench.matrix.SequenceConvNetwork;
import dev.latent.examples.bench.matrix.SequenceLstmNetwork;
import dev.latent.examples.cli.DataSources;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Permutations;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.EngineChoice;
import dev.latent.runtime.engine.EnginePlan;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.noise.NoiseModel;
import dev.latent.runtime.settings.NativeSettings;
import dev.latent.runtime.settings.TrainingSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code bench --matrix}: training throughput of one small model per layer kind (the plain conv
 * chain, with batch norm, with dropout, a Conv1D model, an LSTM model, a dense model with L2 and
 * clipping) through Latent's engine as it plans itself ({@link EngineChoice#AUTO}) and through
 * DL4J's own {@code fit} ({@link EngineChoice#DL4J_FIT}), with each model's plan. Both run the
 * same loop: shuffled digits, fresh clipped Gaussian noise every batch, one step per batch.
 * {@code examples/pytorch/engine_matrix.py} trains the same models in PyTorch.
 */
public final class EngineMatrix {
    /** Digits trained on: a few epochs' worth of batches over them. */
    static final int SAMPLES = 2_048;
    /** Batches one Latent measurement trains at most: three epochs of {@link #SAMPLES}. */
    static final int LATENT_BATCHES = 3 * SAMPLES / 64;
    /** Batches one DL4J measurement trains at most: its fit takes up to a second a batch. */
    static final int DL4J_BATCHES = 32;
    /** Untimed batches before each measurement: the first steps build kernels and fill caches. */
    static final int WARMUP_BATCHES = 2;
    /** Batches a measurement trains at least, however slow. */
    static final int MIN_BATCHES = 8;

    /**
     * One model of the matrix: its generated network and the training settings it runs with (the
     * declared ones, or more than the annotations say, as the dense model's L2 and clipping).
     */
    record Subject(String name, String description, Supplier<AutoencoderNetwork> network,
            UnaryOperator<TrainingSettings> settings) {
        TrainingSettings training(AutoencoderNetwork built) {
            return settings.apply(built.training());
        }
    }

    /** The six models, in the order of the table. */
    static List<Subject> subjects() {
        return List.of(
                new Subject("ConvChain", "conv 16-8 / upsampling decoder", ConvChainNetwork::new, t -> t),
                new Subject("ConvChainBatchNorm", "the same + BatchNormalization", ConvChainBatchNormNetwork::new, t -> t),
                new Subject("ConvChainDropout", "the same + Dropout(0.1)", ConvChainDropoutNetwork::new, t -> t),
                new Subject("SequenceConv", "Conv1D 32-16 k5 on 28x28 steps", SequenceConvNetwork::new, t -> t),
                new Subject("SequenceLstm", "LSTM 64-64 + Conv1D k1", SequenceLstmNetwork::new, t -> t),
                new Subject("DenseRegularised", "784-128-32-128-784, L2 1e-4, clip 1.0", DenseRegularisedNetwork::new,
                        t -> t.withL2(1e-4).withGradientClipping(1.0)));
    }

    /** What one measurement gave: samples/s over its timed batches, and the last batch's loss. */
    record Measurement(double samplesPerSecond, int batches, double lastLoss) {}

    /** What was measured of one model. */
    record Row(String model, String description, long params, int rounds, double latent, double dl4j,
            double ratio, double ratioMin, double ratioMax, double latentLoss, double dl4jLoss, EnginePlan plan,
            EnginePlan dl4jPlan) {}

    private final boolean quick;
    private final List<Subject> subjects;
    private final Path outDir;
    private final PrintStream out;

    /**
     * @param models the names of the models to measure; empty for all six
     * @throws IllegalArgumentException naming a model the matrix does not have
     */
    public EngineMatrix(boolean quick, List<String> models, Path outDir, PrintStream out) {
        List<String> known = subjects().stream().map(Subject::name).toList();
        for (String model : models) {
            if (!known.contains(model)) {
                throw new IllegalArgumentException("no model " + model + " in the engine matrix; it has "
                        + String.join(", ", known));
            }
        }
        this.subjects = subjects().stream().filter(s -> models.isEmpty() || models.contains(s.name())).toList();
        this.quick = quick;
        this.outDir = outDir;
        this.out = out;
    }

    /** Measures every model, prints the table and writes {@code engine-matrix.json}. */
    public void run() {
        // Each engine logs its plan as it is made, some thirty times a model here: the matrix
        // prints each model's plans, with every slower path, once instead.
        System.setProperty("org.slf4j.simpleLogger.log.dev.latent.runtime.engine", "error");
        Dataset digits = DataSources.mnist(DataRange.UNIT).train().head(SAMPLES);
        int rounds = quick ? 3 : 5;
        double seconds = quick ? 4 : 8;
        out.printf(Locale.ROOT, "engine matrix: %,d digits, batch 64, Adam 1e-3, gaussian noise 0.2; %d rounds;"
                        + " a measurement trains up to %d batches (Latent) or %d (DL4J's fit), stopping after %.0f s"
                        + " (at least %d); native thread limit %d%n",
                SAMPLES, rounds, LATENT_BATCHES, DL4J_BATCHES, seconds, MIN_BATCHES, NativeSettings.threadLimit());
        List<Row> rows = new ArrayList<>();
        for (Subject subject : subjects) {
            rows.add(measure(subject, digits, rounds, seconds));
        }
        printTable(rows);
        writeJson(rows);
    }

    private Row measure(Subject subject, Dataset digits, int rounds, double seconds) {
        AutoencoderNetwork network = subject.network().get();
        Dataset train = digits.reshape(network.inputShape());
        EnginePlan plan = plan(subject, EngineChoice.AUTO);
        EnginePlan dl4jPlan = plan(subject, EngineChoice.DL4J_FIT);
        out.printf(Locale.ROOT, "%n%s (%s, %,d params)%n", subject.name(), subject.description(),
                network.parameterCount());
        plan.lines().forEach(line -> out.println("  " + line));
        out.println("  reference: EngineChoice.DL4J_FIT, path " + dl4jPlan.path());
        // A short untimed run of each first: the first engine of a model meets cold caches and the JIT.
        train(subject, EngineChoice.AUTO, train, MIN_BATCHES, seconds);
        train(subject, EngineChoice.DL4J_FIT, train, WARMUP_BATCHES, seconds);
        double[] latent = new double[rounds];
        double[] dl4j = new double[rounds];
        Measurement lastLatent = null;
        Measurement lastDl4j = null;
        for (int round = 0; round < rounds; round++) {
            // Turn about, which goes first: a busy spell of this shared machine, or the previous
            // measurement's garbage, then falls on both alike.
            for (int turn = 0; turn < 2; turn++) {
                if ((round + turn) % 2 == 0) {
                    lastLatent = train(subject, EngineChoice.AUTO, train, LATENT_BATCHES, seconds);
                    latent[round] = lastLatent.samplesPerSecond();
                } else {
                    lastDl4j = train(subject, EngineChoice.DL4J_FIT, train, DL4J_BATCHES, seconds);
                    dl4j[round] = lastDl4j.samplesPerSecond();
                }
            }
            out.printf(Locale.ROOT, "  round %d: Latent %,9.1f samples/s (%d batches, loss %.4f)   DL4J's fit %,9.1f"
                            + " samples/s (%d batches, loss %.4f)   ratio %.1f%n", round + 1, latent[round],
                    lastLatent.batches(), lastLatent.lastLoss(), dl4j[round], lastDl4j.batches(), lastDl4j.lastLoss(),
                    latent[round] / dl4j[round]);
        }
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            ratios[i] = latent[i] / dl4j[i];
        }
        return new Row(subject.name(), subject.description(), network.parameterCount(), rounds, BenchStats.median(latent),
                BenchStats.median(dl4j), BenchStats.median(ratios), Arrays.stream(ratios).min().orElseThrow(),
                Arrays.stream(ratios).max().orElseThrow(), lastLatent.lastLoss(), lastDl4j.lastLoss(), plan, dl4jPlan);
    }

    /** The plan {@code subject} trains with under {@code choice}, as {@link Engines#create} makes it. */
    static EnginePlan plan(Subject subject, EngineChoice choice) {
        return engine(subject, choice).plan().orElseThrow(
                () -> new IllegalStateException(subject.name() + ": the engine made no plan for its input shape"));
    }

    private static Engine engine(Subject subject, EngineChoice choice) {
        AutoencoderNetwork network = subject.network().get();
        return Engines.create(network, subject.training(network), network.loss(), choice);
    }

    /**
     * Trains a fresh engine for {@code subject} on {@code train}, epoch after shuffled epoch, for
     * {@link #WARMUP_BATCHES} untimed batches and then up to {@code maxBatches} timed ones, or
     * fewer (never under {@link #MIN_BATCHES}) once {@code seconds} have passed.
     */
    static Measurement train(Subject subject, EngineChoice choice, Dataset train, int maxBatches, double seconds) {
        AutoencoderNetwork network = subject.network().get();
        TrainingSettings training = subject.training(network);
        Engine engine = Engines.create(network, training, network.loss(), choice);
        NoiseModel noise = network.noise().toModel();
        int batchSize = training.batchSize();
        int n = train.size();
        long[] shape = train.sampleShape().batchShape(n);
        INDArray rows = train.features().reshape('c', n, train.sampleShape().size());
        java.util.Random shuffler = new java.util.Random(training.seed());
        Random random = Nd4j.getRandomFactory().getNewRandomInstance(training.seed());
        try {
            INDArray epoch = null;
            int from = n;
            long start = 0;
            int timed = 0;
            double loss = Double.NaN;
            for (int b = 0; b < WARMUP_BATCHES + maxBatches; b++) {
                if (b == WARMUP_BATCHES) {
                    start = System.nanoTime();
                } else if (b > WARMUP_BATCHES && timed >= MIN_BATCHES && System.nanoTime() - start > seconds * 1e9) {
                    break;
                }
                if (from + batchSize > n) {
                    epoch = Nd4j.pullRows(rows, 1, Permutations.of(n, shuffler)).reshape('c', shape);
                    from = 0;
                }
                INDArray clean = epoch.get(NDArrayIndex.interval(from, from + batchSize));
                from += batchSize;
                loss = engine.fitBatch(noise.corrupt(clean, network.range(), random), clean);
                if (b >= WARMUP_BATCHES) {
                    timed++;
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new Measurement(timed * batchSize / elapsed, timed, loss);
        } finally {
            BenchStats.close(random);
            // The engine's native arrays go with their Java objects: collect them outside the next timing.
            System.gc();
        }
    }

    private void printTable(List<Row> rows) {
        out.printf(Locale.ROOT, "%n%-19s %-38s %8s %11s %11s %8s  %s%n", "model", "", "params", "Latent/s", "DL4J fit/s",
                "x DL4J", "Latent's plan");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-19s %-38s %,8d %,11.1f %,11.1f %7.1fx  %s%n", r.model(), r.description(),
                    r.params(), r.latent(), r.dl4j(), r.ratio(), r.plan().summary());
        }
        out.printf(Locale.ROOT, "(training samples/s, medians over %s interleaved rounds; x DL4J: median of each round's"
                        + " ratio, rounds from %s to %s)%n", rows.stream().map(Row::rounds).distinct().toList(),
                rows.stream().map(r -> String.format(Locale.ROOT, "%.1f", r.ratioMin())).toList(),
                rows.stream().map(r -> String.format(Locale.ROOT, "%.1f", r.ratioMax())).toList());
    }

    private void writeJson(List<Row> rows) {
        List<String> settings = List.of("\"samples\": " + SAMPLES, "\"batch_size\": 64",
                "\"thread_limit\": " + NativeSettings.threadLimit(), "\"quick\": " + quick);
        List<String> models = rows.stream().map(r -> String.format(Locale.ROOT,
                "{\"model\": \"%s\", \"description\": \"%s\", \"params\": %d, "
                        + "\"rounds\": %d, \"latent_samples_per_s\": %.2f, \"dl4j_fit_samples_per_s\": %.2f, "
                        + "\"latent_vs_dl4j\": %.3f, \"latent_vs_dl4j_min\": %.3f, \"latent_vs_dl4j_max\": %.3f, "
                        + "\"latent_last_loss\": %.5f, \"dl4j_last_loss\": %.5f, \"plan_path\": \"%s\", "
                        + "\"plan\": %s, \"dl4j_plan\": %s}",
                r.model(), BenchJson.text(r.description()), r.params(), r.rounds(), r.latent(), r.dl4j(), r.ratio(),
                r.ratioMin(), r.ratioMax(), r.latentLoss(), r.dl4jLoss(), r.plan().path(), jsonLines(r.plan()),
                jsonLines(r.dl4jPlan()))).toList();
        BenchJson.write(outDir, "engine-matrix.json", settings, models, out);
    }

    private static String jsonLines(EnginePlan plan) {
        return plan.lines().stream().map(line -> "\"" + BenchJson.text(line) + "\"").toList().toString();
    }

}
