package dev.latent.examples.bench;

import dev.latent.dsl.DataRange;
import dev.latent.examples.bench.matrix.ConvChainNetwork;
import dev.latent.examples.cli.DataSources;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Permutations;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.EngineChoice;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.noise.NoiseModel;
import dev.latent.runtime.settings.NativeSettings;
import dev.latent.runtime.settings.TrainingSettings;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code bench --collapse}: a model that collapses, trained for ten epochs, to see whether its
 * throughput falls as it dies. The engine matrix's conv chain at its declared settings (Adam 1e-3,
 * batch 64, gaussian noise 0.2) collapses to a black image within the first epoch: its ReLUs die
 * and the sigmoid output sinks towards zero, so that a growing share of the output's pre-activation
 * gradient is subnormal, values that cost some CPUs a hundred cycles each.
 *
 * <p>Each epoch prints its training throughput, wall-clock and per second of the process's
 * processor time (steadier on a shared machine), and, on a fixed batch of 64 digits: outputs
 * that are exactly 0, the gradient at the sigmoid's pre-activation that is subnormal (what the
 * loss step hands the last convolution's backward pass), and subnormal parameters.
 */
public final class CollapseBench {
    /** Epochs trained; the acceptance reads the throughput's fall over ten. */
    static final int EPOCHS = 10;

    /** What one epoch measured. */
    record Epoch(int epoch, double samplesPerSecond, double samplesPerCpuSecond, double meanLoss, int zeroOutputs,
            int subnormalGradients, int subnormalParameters, int outputs) {}

    private final boolean quick;
    private final Path outDir;
    private final PrintStream out;

    public CollapseBench(boolean quick, Path outDir, PrintStream out) {
        this.quick = quick;
        this.outDir = outDir;
        this.out = out;
    }

    /** Trains the collapsing model, prints each epoch and the fall, and writes {@code collapse.json}. */
    public void run() {
        System.setProperty("org.slf4j.simpleLogger.log.dev.latent.runtime.engine", "error");
        AutoencoderNetwork network = new ConvChainNetwork();
        TrainingSettings training = network.training();
        Dataset train = DataSources.mnist(DataRange.UNIT).train().reshape(network.inputShape());
        int n = quick ? 2_048 : train.size();
        out.printf(Locale.ROOT, "collapse: the engine matrix's ConvChain (Adam %s, batch %d, gaussian noise 0.2),"
                        + " %d epochs of %,d digits; native thread limit %d%n", training.learningRate(),
                training.batchSize(), EPOCHS, n, NativeSettings.threadLimit());
        out.printf(Locale.ROOT, "%5s %10s %14s %10s %12s %22s %12s%n", "epoch", "samples/s", "per CPU second",
                "mean loss", "zero outputs", "subnormal pre-act grad", "subnormal W");
        List<Epoch> epochs = train(network, training, train.head(n));
        double wallFall = fall(epochs.stream().mapToDouble(Epoch::samplesPerSecond).toArray());
        double cpuFall = fall(epochs.stream().mapToDouble(Epoch::samplesPerCpuSecond).toArray());
        out.printf(Locale.ROOT, "throughput of epochs 8-10 against epochs 2-4 (medians): %.2f wall-clock, %.2f per"
                + " processor second (epoch 1 warms the JIT and oneDNN's kernels)%n", wallFall, cpuFall);
        writeJson(epochs, wallFall, cpuFall);
    }

    private List<Epoch> train(AutoencoderNetwork network, TrainingSettings training, Dataset train) {
        Engine engine = Engines.create(network, training, network.loss(), EngineChoice.AUTO);
        NoiseModel noise = network.noise().toModel();
        int batchSize = training.batchSize();
        int n = train.size();
        long[] shape = train.sampleShape().batchShape(n);
        INDArray rows = train.features().reshape('c', n, train.sampleShape().size());
        INDArray probe = train.features().get(NDArrayIndex.interval(0, batchSize)).dup('c');
        java.util.Random shuffler = new java.util.Random(training.seed());
        Random random = Nd4j.getRandomFactory().getNewRandomInstance(training.seed());
        List<Epoch> epochs = new ArrayList<>();
        try {
            for (int e = 1; e <= EPOCHS; e++) {
                INDArray epoch = Nd4j.pullRows(rows, 1, Permutations.of(n, shuffler)).reshape('c', shape);
                long start = System.nanoTime();
                long cpuStart = processCpuNanos();
                double lossSum = 0;
                int batches = 0;
                for (int from = 0; from + batchSize <= n; from += batchSize) {
                    INDArray clean = epoch.get(NDArrayIndex.interval(from, from + batchSize));
                    lossSum += engine.fitBatch(noise.corrupt(clean, network.range(), random), clean);
                    batches++;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
                int samples = batches * batchSize;
                Epoch row = inspect(engine, probe, e, samples / seconds, samples / cpuSeconds, lossSum / batches);
                epochs.add(row);
                out.printf(Locale.ROOT, "%5d %,10.0f %,14.0f %10.4f %,12d %,22d %,12d%n", e, row.samplesPerSecond(),
                        row.samplesPerCpuSecond(), row.meanLoss(), row.zeroOutputs(), row.subnormalGradients(),
                        row.subnormalParameters());
            }
        } finally {
            BenchStats.close(random);
        }
        return epochs;
    }

    /**
     * Counts on {@code probe}: outputs exactly 0, and values of the mean squared error's gradient at
     * the sigmoid's pre-activation that are subnormal, computed as the loss step computes them.
     */
    private static Epoch inspect(Engine engine, INDArray probe, int epoch, double perSecond, double perCpuSecond,
            double meanLoss) {
        float[] output = engine.reconstruct(probe).dup('c').data().asFloat();
        float[] target = probe.data().asFloat();
        float scale = (float) (2.0 / output.length);
        int zeros = 0;
        int subnormalGradients = 0;
        for (int i = 0; i < output.length; i++) {
            float p = output[i];
            if (p == 0) {
                zeros++;
            }
            if (isSubnormal(scale * (p - target[i]) * p * (1 - p))) {
                subnormalGradients++;
            }
        }
        int subnormalParameters = 0;
        for (float w : engine.parameters().dup('c').data().asFloat()) {
            if (isSubnormal(w)) {
                subnormalParameters++;
            }
        }
        return new Epoch(epoch, perSecond, perCpuSecond, meanLoss, zeros, subnormalGradients, subnormalParameters,
                output.length);
    }

    static boolean isSubnormal(float value) {
        return value != 0 && Math.abs(value) < Float.MIN_NORMAL;
    }

    /** The median of epochs 8 to 10 over the median of epochs 2 to 4. */
    static double fall(double[] perEpoch) {
        double late = BenchStats.median(Arrays.copyOfRange(perEpoch, 7, 10));
        return late / BenchStats.median(Arrays.copyOfRange(perEpoch, 1, 4));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void writeJson(List<Epoch> epochs, double wallFall, double cpuFall) {
        StringBuilder json = new StringBuilder("{\n  \"model\": \"ConvChain\",\n  \"thread_limit\": ")
                .append(NativeSettings.threadLimit())
                .append(",\n  \"quick\": ").append(quick)
                .append(String.format(Locale.ROOT, ",\n  \"late_vs_early_wall\": %.3f", wallFall))
                .append(String.format(Locale.ROOT, ",\n  \"late_vs_early_cpu\": %.3f", cpuFall))
                .append(",\n  \"epochs\": [\n");
        for (int i = 0; i < epochs.size(); i++) {
            Epoch e = epochs.get(i);
            json.append(String.format(Locale.ROOT, "    {\"epoch\": %d, \"samples_per_s\": %.1f, "
                            + "\"samples_per_cpu_s\": %.1f, \"mean_loss\": %.5f, \"zero_outputs\": %d, "
                            + "\"subnormal_preactivation_gradients\": %d, \"subnormal_parameters\": %d, "
                            + "\"outputs\": %d}%s%n", e.epoch(), e.samplesPerSecond(), e.samplesPerCpuSecond(),
                    e.meanLoss(), e.zeroOutputs(), e.subnormalGradients(), e.subnormalParameters(), e.outputs(),
                    i < epochs.size() - 1 ? "," : ""));
        }
        json.append("  ]\n}\n");
        BenchJson.writeFile(outDir, "collapse.json", json, out);
    }
}
