package dev.latent.examples.bench;

import dev.latent.examples.cli.DataSources;
import dev.latent.examples.seed.SeedExample1Network;
import dev.latent.examples.seed.SeedExample1Trainer;
import dev.latent.examples.seed.SeedExample2Network;
import dev.latent.examples.seed.SeedExample2Trainer;
import dev.latent.examples.seed.SeedExample3Network;
import dev.latent.examples.seed.SeedExample3Trainer;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.train.DenoisingTrainer;
import dev.latent.runtime.train.TrainingResult;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * {@code bench --trainer-only}: the generated trainer's training samples/s alone, one fresh
 * trainer per seed model, as the benchmark peers (examples/peers/) measure theirs: the digits the
 * full bench trains on, batch 64, {@value #EPOCHS} epochs after a warm-up run of as many, the
 * median of epochs 2 to {@value #EPOCHS}. A few seconds a model, for runs interleaved with other
 * frameworks'.
 */
public final class TrainerThroughput {
    static final int EPOCHS = 4;

    private record Model(Supplier<DenoisingTrainer<?>> trainer, Supplier<ComputationGraph> handWritten, int samples) {}

    /** The seed models by name; the same sample counts as the full bench. */
    private static final Map<String, Model> MODELS = Map.of(
            "SeedExample1", new Model(SeedExample1Trainer::create, () -> HandWritten.dense(SeedExample1Network.TRAINING), 8_000),
            "SeedExample2", new Model(SeedExample2Trainer::create, () -> HandWritten.dense(SeedExample2Network.TRAINING), 8_000),
            "SeedExample3", new Model(SeedExample3Trainer::create, () -> HandWritten.conv(SeedExample3Network.TRAINING), 1_920));

    static final List<String> NAMES = List.of("SeedExample1", "SeedExample2", "SeedExample3");

    private final List<String> models;
    private final PrintStream out;

    /** {@code models}: seed model names; empty for all three. */
    public TrainerThroughput(List<String> models, PrintStream out) {
        for (String name : models) {
            if (!MODELS.containsKey(name)) {
                throw new IllegalArgumentException("bench --trainer-only has no model " + name + "; use "
                        + String.join(", ", NAMES));
            }
        }
        this.models = models.isEmpty() ? NAMES : List.copyOf(models);
        this.out = out;
    }

    /** Prints the GEMM peak, then one line per model: samples/s and the fraction of that peak. */
    public void run() {
        DataSources.TrainTest digits = DataSources.mnist(dev.latent.dsl.DataRange.UNIT);
        double peak = Bench.gemmGflops();
        out.printf(Locale.ROOT, "GEMM (1024^3, float): %.1f GFLOP/s%n", peak);
        Dataset validation = digits.test().head(64);
        for (String name : models) {
            Model model = MODELS.get(name);
            DenoisingTrainer<?> trainer = model.trainer().get();
            double flops = Bench.trainFlopsPerSample(model.handWritten().get(), trainer.network());
            Dataset train = digits.train().head(model.samples());
            // A full-size run of another trainer first, as the full bench warms up: in a fresh JVM the
            // trainer's Java (Adam, the noise, the loss) speeds up over several epochs as the JIT
            // compiles it (the dense model: 3,300 to 15,000 samples/s over its first 5 epochs on a busy machine).
            model.trainer().get().epochs(EPOCHS).quiet().fit(train, validation);
            TrainingResult run = trainer.epochs(EPOCHS).quiet().fit(train, validation);
            double[] timed = run.epochs().stream().skip(1).mapToDouble(EpochStats::samplesPerSecond).toArray();
            double rate = BenchStats.median(timed);
            out.printf(Locale.ROOT, "%s: %,.1f samples/s over %,d samples (median of epochs 2 to %d); %.1f%% of the GEMM peak;"
                            + " %.2f MFLOP per sample%n", name, rate, model.samples(), EPOCHS, 100 * rate * flops / (peak * 1e9),
                    flops / 1e6);
        }
    }
}
