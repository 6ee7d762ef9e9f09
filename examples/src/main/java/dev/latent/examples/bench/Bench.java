package dev.latent.examples.bench;

import dev.latent.dsl.Autoencoder;
import dev.latent.examples.cli.DataSources;
import dev.latent.examples.seed.SeedExample1Trainer;
import dev.latent.examples.seed.SeedExample2Trainer;
import dev.latent.examples.seed.SeedExample3Trainer;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.noise.NoiseSettings;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.train.DenoisingTrainer;
import dev.latent.runtime.train.TrainingResult;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import javax.annotation.processing.Processor;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code bench} command: training throughput of each seed model through its generated
 * trainer, through the same network hand-written in DL4J, and with noise off; inference latency
 * and throughput; memory; the machine's GEMM rate and each model's share of it; processor time.
 * Numbers are medians over epochs or repetitions, all measured in one run.
 */
public final class Bench {
    private final boolean quick;
    private final Path outDir;
    private final PrintStream out;

    public Bench(boolean quick, Path outDir, PrintStream out) {
        this.quick = quick;
        this.outDir = outDir;
        this.out = out;
    }

    /** One seed model to measure. */
    /**
     * Rounds of a dense model in a full run: its rounds take seconds, and on a shared machine
     * single rounds of the noise cost swing by 10% or more either way, so more of them steady the median.
     */
    private static final int DENSE_ROUNDS = 9;

    private record Subject(String name, Supplier<DenoisingTrainer<?>> trainer, Supplier<ComputationGraph> handWritten,
            Supplier<SameDiff> handWrittenSameDiff, int samples, int epochs, int fullRounds) {}

    /** What was measured of one model. */
    record Row(String model, int rounds, long params, double trainFlopsPerSample, double generated, double handWritten,
            double dl4j, double noiseOff, double generatedVsHandWritten, double generatedVsDl4j, double noiseCost,
            double fractionOfPeak,
            double inferenceMedianMs, double inferenceP99Ms,
            double inferenceBatchPerS, double peakHeapMb, double peakOffHeapMb, double processorMs) {}

    /** Runs every measurement, prints the table and writes {@code bench.json}. */
    public void run() {
        DataSources.TrainTest digits = DataSources.mnist(dev.latent.dsl.DataRange.UNIT);
        out.printf(Locale.ROOT, "native threads: %d; %s%n", nativeThreads(), quick ? "quick" : "full");
        double peak = gemmGflops();
        out.printf(Locale.ROOT, "GEMM (1024^3, float): %.1f GFLOP/s%n", peak);
        // The conv model trains about 50 times slower per sample than the dense ones: fewer samples keep it in budget.
        List<Subject> subjects = List.of(
                new Subject("SeedExample1", SeedExample1Trainer::create, () -> HandWritten.dense(
                        dev.latent.examples.seed.SeedExample1Network.TRAINING), null, quick ? 4_000 : 8_000, 3, DENSE_ROUNDS),
                new Subject("SeedExample2", SeedExample2Trainer::create, () -> HandWritten.dense(
                        dev.latent.examples.seed.SeedExample2Network.TRAINING), null, quick ? 4_000 : 8_000, 3, DENSE_ROUNDS),
                new Subject("SeedExample3", SeedExample3Trainer::create, () -> HandWritten.conv(
                        dev.latent.examples.seed.SeedExample3Network.TRAINING),
                        () -> HandWritten.convSameDiff(dev.latent.examples.seed.SeedExample3Network.TRAINING),
                        quick ? 640 : 1_920, 3, 5));
        List<Row> rows = new ArrayList<>();
        Dataset validation = digits.test().head(64);
        for (Subject s : subjects) {
            out.printf(Locale.ROOT, "%n%s: %,d samples x %d epochs per measurement%n", s.name(), s.samples(), s.epochs());
            Dataset train = digits.train().head(s.samples());
            // A full-size run first: each new SameDiff graph runs its first epochs slower (345 against
            // 515 samples/s on the conv model), which otherwise lands on whichever measurement comes first.
            s.trainer().get().epochs(s.epochs()).quiet().fit(train, validation);
            HandWrittenLoops.handWrittenThroughput(s.handWritten().get(), train.head(Math.min(512, s.samples())), 0.1, 64, 1, 1);
            HandWrittenLoops.handWrittenEngineThroughput(s.handWritten().get(), train.head(Math.min(512, s.samples())), 0.1, 64, 1, 1);
            if (s.handWrittenSameDiff() != null) {
                HandWrittenLoops.handWrittenSameDiffThroughput(s.handWrittenSameDiff().get(), train.head(Math.min(512, s.samples())), 0.1,
                        64, 1, 1);
            }
            try (MemoryWatch memory = MemoryWatch.start()) {
                AutoencoderNetwork network = s.trainer().get().network();
                // The reference runs on the engine the generated trainer runs on: the comparison is of the code, not the engine.
                // The conv model's stock peer is SameDiff written by hand: DL4J's fit takes minutes an epoch.
                boolean sameDiff = s.handWrittenSameDiff() != null;
                // The three measurements take turns, round after round, so that a busy spell of this
                // shared machine falls on all of them alike; ratios are taken within each round.
                Measurements m = new Measurements(rounds(s));
                Denoiser trained = null;
                for (int round = 0; round < m.rounds(); round++) {
                    // Each round starts with another of the three: whichever runs first meets the
                    // previous run's garbage and a colder cache, so no measurement always does.
                    double[] rates = new double[4];
                    Denoiser[] model = new Denoiser[1];
                    for (int turn = 0; turn < 4; turn++) {
                        int which = (round + turn) % 4;
                        rates[which] = switch (which) {
                            case 0 -> {
                                TrainingResult run = s.trainer().get().epochs(s.epochs()).quiet().fit(train, validation);
                                model[0] = run.model();
                                yield medianThroughput(run);
                            }
                            case 1 -> HandWrittenLoops.handWrittenEngineThroughput(s.handWritten().get(), train, network.noise().gaussian(),
                                    network.training().batchSize(), s.epochs(), network.training().seed());
                            case 2 -> sameDiff
                                    ? HandWrittenLoops.handWrittenSameDiffThroughput(s.handWrittenSameDiff().get(), train,
                                            network.noise().gaussian(), network.training().batchSize(), s.epochs(),
                                            network.training().seed())
                                    : HandWrittenLoops.handWrittenThroughput(s.handWritten().get(), train, network.noise().gaussian(),
                                            network.training().batchSize(), s.epochs(), network.training().seed());
                            default -> medianThroughput(s.trainer().get().epochs(s.epochs()).quiet()
                                    .noise(NoiseSettings.none()).fit(train, validation));
                        };
                    }
                    trained = model[0];
                    m.add(round, rates[0], rates[1], rates[2], rates[3]);
                    out.printf(Locale.ROOT, "  round %d: generated %,9.1f  hand-written, same engine %,9.1f"
                                    + "  hand-written, %s %,9.1f  noise off %,9.1f samples/s"
                                    + "  generated/hand %.3f  noise cost %.1f%%%n", round + 1, rates[0], rates[1],
                            sameDiff ? "SameDiff" : "DL4J fit", rates[2], rates[3], rates[0] / rates[1],
                            100 * (1 - rates[0] / rates[3]));
                }
                out.printf(Locale.ROOT, "  medians: generated %,.1f, hand-written on the same engine %,.1f, with %s %,.1f,"
                                + " noise off %,.1f samples/s; generated/hand-written %.3f (rounds %.3f to %.3f),"
                                + " generated/%s %.3f; noise cost %.1f%% (rounds %.1f%% to %.1f%%)%n",
                        m.generated(), m.handWritten(), sameDiff ? "SameDiff" : "DL4J's fit", m.dl4j(), m.noiseOff(),
                        m.generatedVsHandWritten(), m.generatedVsHandWrittenMin(), m.generatedVsHandWrittenMax(),
                        sameDiff ? "SameDiff" : "DL4J's fit", m.generatedVsDl4j(), 100 * m.noiseCost(), 100 * m.noiseCostMin(),
                        100 * m.noiseCostMax());
                double[] latency = InferenceTimings.latencyMs(trained, digits.test());
                double batch = InferenceTimings.batchThroughput(trained, digits.test().head(1_000));
                out.printf(Locale.ROOT, "  denoise one image     median %.3f ms, p99 %.3f ms; batch of 1,000: %,.0f samples/s%n",
                        latency[0], latency[1], batch);
                out.printf(Locale.ROOT, "  one Denoiser shared   single images from 1 thread %,.0f/s, from 4 threads %,.0f/s"
                        + " (calls take turns on the model's lock)%n", InferenceTimings.sharedThroughput(trained, digits.test(), 1),
                        InferenceTimings.sharedThroughput(trained, digits.test(), 4));
                double flops = trainFlopsPerSample(s.handWritten().get(), network);
                double processorMs = processorMillis(s.name());
                rows.add(new Row(s.name(), m.rounds(), network.parameterCount(), flops, m.generated(), m.handWritten(), m.dl4j(),
                        m.noiseOff(), m.generatedVsHandWritten(), m.generatedVsDl4j(), m.noiseCost(), m.generated() * flops / (peak * 1e9), latency[0],
                        latency[1], batch, memory.peakHeapMb(), memory.peakOffHeapMb(), processorMs));
            }
        }
        printTable(rows, peak);
        writeJson(rows, peak);
    }

    private int rounds(Subject s) {
        return quick ? 3 : s.fullRounds();
    }

    /** Samples/s of the three training measurements, round by round. */
    private static final class Measurements {
        private final double[] generated;
        private final double[] handWritten;
        private final double[] dl4j;
        private final double[] noiseOff;

        Measurements(int rounds) {
            generated = new double[rounds];
            handWritten = new double[rounds];
            dl4j = new double[rounds];
            noiseOff = new double[rounds];
        }

        int rounds() {
            return generated.length;
        }

        void add(int round, double generatedRate, double handWrittenRate, double dl4jRate, double noiseOffRate) {
            generated[round] = generatedRate;
            handWritten[round] = handWrittenRate;
            dl4j[round] = dl4jRate;
            noiseOff[round] = noiseOffRate;
        }

        double dl4j() {
            return BenchStats.median(dl4j);
        }

        /** Median over rounds of each round's generated / DL4J's-own-training ratio. */
        double generatedVsDl4j() {
            return BenchStats.median(ratios(generated, dl4j));
        }

        double generated() {
            return BenchStats.median(generated);
        }

        double handWritten() {
            return BenchStats.median(handWritten);
        }

        double noiseOff() {
            return BenchStats.median(noiseOff);
        }

        /** Median over rounds of each round's generated / hand-written ratio. */
        double generatedVsHandWritten() {
            return BenchStats.median(ratios(generated, handWritten));
        }

        double generatedVsHandWrittenMin() {
            return Arrays.stream(ratios(generated, handWritten)).min().orElse(Double.NaN);
        }

        double generatedVsHandWrittenMax() {
            return Arrays.stream(ratios(generated, handWritten)).max().orElse(Double.NaN);
        }

        /** Share of throughput the noise costs: 1 - generated / noise off, median over rounds. */
        double noiseCost() {
            return 1 - BenchStats.median(ratios(generated, noiseOff));
        }

        double noiseCostMin() {
            return 1 - Arrays.stream(ratios(generated, noiseOff)).max().orElseThrow();
        }

        double noiseCostMax() {
            return 1 - Arrays.stream(ratios(generated, noiseOff)).min().orElseThrow();
        }

        private static double[] ratios(double[] numerators, double[] denominators) {
            double[] ratios = new double[numerators.length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = numerators[i] / denominators[i];
            }
            return ratios;
        }
    }

    private static double medianThroughput(TrainingResult result) {
        return BenchStats.median(result.epochs().stream().mapToDouble(EpochStats::samplesPerSecond).toArray());
    }

    /**
     * Multiply-adds of the weighted layers, counted twice (multiply and add) and three times
     * over (forward, gradient of the input, gradient of the weights).
     */
    static double trainFlopsPerSample(ComputationGraph graph, AutoencoderNetwork network) {
        double forward = 0;
        for (GraphVertex vertex : graph.getVertices()) {
            if (!vertex.hasLayer()) {
                continue;
            }
            var conf = vertex.getLayer().conf().getLayer();
            if (conf instanceof DenseLayer d) {
                forward += 2.0 * d.getNIn() * d.getNOut();
            } else if (conf instanceof Deconvolution2D t) {
                forward += 2.0 * t.getKernelSize()[0] * t.getKernelSize()[1] * t.getNIn() * t.getNOut()
                        * inputPixels(graph, vertex);
            } else if (conf instanceof ConvolutionLayer c) {
                forward += 2.0 * c.getKernelSize()[0] * c.getKernelSize()[1] * c.getNIn() * c.getNOut()
                        * outputPixels(graph, vertex);
            }
        }
        return 3 * forward;
    }

    private static long outputPixels(ComputationGraph graph, GraphVertex vertex) {
        long[] shape = graph.feedForward(Nd4j.zeros(DataType.FLOAT, 1, 1, 28, 28), false).get(vertex.getVertexName()).shape();
        return shape[2] * shape[3];
    }

    private static long inputPixels(ComputationGraph graph, GraphVertex vertex) {
        long[] shape = graph.feedForward(Nd4j.zeros(DataType.FLOAT, 1, 1, 28, 28), false).get(vertex.getVertexName()).shape();
        long stride = ((Deconvolution2D) vertex.getLayer().conf().getLayer()).getStride()[0];
        return (shape[2] / stride) * (shape[3] / stride);
    }

    static double gemmGflops() {
        int n = 1024;
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        for (int i = 0; i < 3; i++) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
        double[] rates = new double[10];
        for (int i = 0; i < rates.length; i++) {
            long start = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            rates[i] = 2.0 * n * n * n / ((System.nanoTime() - start) / 1e9) / 1e9;
        }
        return Arrays.stream(rates).max().orElse(0);
    }

    /** Median time of the annotation processor alone ({@code -proc:only}) on the model's source. */
    private static double processorMillis(String model) {
        String source = readSource(model);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return Double.NaN;
        }
        String classPath = location(Autoencoder.class) + File.pathSeparator + location(AutoencoderNetwork.class);
        double[] ms = new double[5];
        for (int i = 0; i < ms.length + 2; i++) {
            // The processor as javac finds it: through its service registration on the class path.
            List<Processor> processors = ServiceLoader.load(Processor.class).stream().map(ServiceLoader.Provider::get)
                    .filter(p -> p.getClass().getName().startsWith("dev.latent.")).toList();
            if (processors.isEmpty()) {
                return Double.NaN;
            }
            JavaFileObject file = new SimpleJavaFileObject(
                    java.net.URI.create("string:///dev/latent/examples/seed/" + model + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            try {
                Path generated = Files.createTempDirectory("latent-bench");
                var task = javac.getTask(new StringWriter(), null, null,
                        List.of("-proc:only", "-cp", classPath, "-s", generated.toString()), null, List.of(file));
                task.setProcessors(processors);
                long start = System.nanoTime();
                task.call();
                if (i >= 2) {
                    ms[i - 2] = (System.nanoTime() - start) / 1e6;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return BenchStats.median(ms);
    }

    private static String readSource(String model) {
        try (InputStream in = Bench.class.getResourceAsStream("/dev/latent/examples/seed/" + model + ".java")) {
            if (in == null) {
                throw new IllegalStateException("the source of " + model + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void printTable(List<Row> rows, double peak) {
        out.printf(Locale.ROOT, "%n%-13s %9s %8s %11s %11s %11s %11s %7s %9s %9s %11s %8s %9s %8s%n", "model", "params",
                "MFLOP/s", "generated/s", "by hand/s", "DL4J/s", "no noise/s", "peak %", "1 img ms", "p99 ms", "batch/s",
                "heap MB", "native MB", "proc ms");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-13s %,9d %8.2f %,11.1f %,11.1f %,11.1f %,11.1f %6.1f%% %9.3f %9.3f %,11.0f %8.0f %9.0f %8.1f%n",
                    r.model(), r.params(), r.trainFlopsPerSample() / 1e6, r.generated(), r.handWritten(), r.dl4j(), r.noiseOff(),
                    100 * r.fractionOfPeak(), r.inferenceMedianMs(), r.inferenceP99Ms(), r.inferenceBatchPerS(),
                    r.peakHeapMb(), r.peakOffHeapMb(), r.processorMs());
        }
        out.printf(Locale.ROOT, "(MFLOP per training sample; peak %% of %.1f GFLOP/s GEMM; samples/s are medians over"
                        + " %s interleaved rounds; by hand: the same network written by hand, trained by Latent's engine;"
                        + " DL4J: written by hand, trained by DL4J's fit (dense) or SameDiff (conv);"
                        + " generated/by hand = %s; generated/DL4J = %s; noise cost = %s)%n",
                peak, rows.stream().map(Row::rounds).toList(),
                rows.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.generatedVsHandWritten())).toList(),
                rows.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.generatedVsDl4j())).toList(),
                rows.stream().map(r -> String.format(Locale.ROOT, "%.1f%%", 100 * r.noiseCost())).toList());
    }

    private void writeJson(List<Row> rows, double peak) {
        List<String> settings = List.of(String.format(Locale.ROOT, "\"gemm_gflops\": %.2f", peak),
                "\"threads\": " + nativeThreads(), "\"quick\": " + quick);
        List<String> models = rows.stream().map(r -> String.format(Locale.ROOT,
                "{\"model\": \"%s\", \"rounds\": %d, \"params\": %d, \"train_flops_per_sample\": %.0f, "
                        + "\"generated_samples_per_s\": %.2f, \"handwritten_samples_per_s\": %.2f, "
                        + "\"dl4j_samples_per_s\": %.2f, "
                        + "\"noise_off_samples_per_s\": %.2f, \"generated_vs_handwritten\": %.4f, "
                        + "\"generated_vs_dl4j\": %.4f, \"noise_cost\": %.4f, "
                        + "\"fraction_of_peak\": %.5f, "
                        + "\"denoise_one_median_ms\": %.4f, \"denoise_one_p99_ms\": %.4f, \"denoise_batch_samples_per_s\": %.1f, "
                        + "\"peak_heap_mb\": %.1f, \"peak_offheap_mb\": %.1f, \"processor_ms\": %.2f}",
                r.model(), r.rounds(), r.params(), r.trainFlopsPerSample(), r.generated(), r.handWritten(), r.dl4j(), r.noiseOff(),
                r.generatedVsHandWritten(), r.generatedVsDl4j(), r.noiseCost(), r.fractionOfPeak(), r.inferenceMedianMs(),
                r.inferenceP99Ms(), r.inferenceBatchPerS(), r.peakHeapMb(), r.peakOffHeapMb(), r.processorMs())).toList();
        BenchJson.write(outDir, "bench.json", settings, models, out);
    }

    private static int nativeThreads() {
        return org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

}
