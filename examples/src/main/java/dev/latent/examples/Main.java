package dev.latent.examples;

import dev.latent.examples.bench.Bench;
import dev.latent.examples.bench.EngineMatrix;
import dev.latent.examples.calibrate.Calibration;
import dev.latent.examples.cli.Arguments;
import dev.latent.examples.cli.DataSources;
import dev.latent.examples.cli.ModelLocator;
import dev.latent.examples.cli.Relaunch;
import dev.latent.examples.cli.TrainOptions;
import dev.latent.examples.cli.UsageException;
import dev.latent.examples.report.TrainingReport;
import dev.latent.examples.study.Study;
import dev.latent.examples.sweep.Sweep;
import dev.latent.examples.weather.WeatherComparison;
import dev.latent.examples.weather.WeatherDenoiserNetwork;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.NativeSettings;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.StreamedDataset;
import dev.latent.runtime.train.DenoisingTrainer;
import dev.latent.runtime.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Latent's command line: {@code study}, {@code train} and {@code summary}. Prints one clear line
 * per problem and exits non-zero; {@code --verbose} adds the stack trace.
 */
public final class Main {
    private static final String USAGE = """
            usage: java -jar latent-examples.jar COMMAND [OPTIONS]

            commands:
              study [--epochs N] [--out DIR]
                  trains the seed's three examples on the embedded MNIST digits, prints one row per
                  example and writes a report (default folder: study-report)
              train MODEL [--data PATH|mnist|fashion-mnist] [--epochs N] [--batch-size N]
                          [--learning-rate X] [--optimizer adam|sgd|nesterovs|rmsprop] [--seed N]
                          [--validation-split X] [--patience N] [--schedule S] [--clip X] [--l2 X]
                          [--weight-init declared|glorot-normal|he-normal|he-uniform|lecun-normal]
                          [--limit-batches N] [--resume DIR] [--out DIR] [--stride N] [--columns A,B]
                  trains any compiled model, e.g. dev.latent.examples.seed.SeedExample3, and saves it
                  to DIR/model.zip (default folder: latent-run), with a checkpoint every epoch in
                  DIR/checkpoints; --resume DIR continues the run whose checkpoints are in DIR.
                  Schedules: constant, step:EVERY:FACTOR, exponential:GAMMA, cosine[:MIN],
                  plateau:PATIENCE:FACTOR[:MIN]. PATH: an IDX file (.gz or raw), a
                  .npy file, a .csv file (a row per sample; for a {T, F} model, windows of T rows
                  every --stride rows of the --columns named), or a folder of PNG/JPEG images
              summary MODEL
                  prints the model's layer table
              calibrate [EXPERIMENT|all] [--epochs N]
                  the experiments behind the warnings' thresholds: short seeded runs on the embedded
                  digits across a grid of one attribute, one row each. EXPERIMENT: noise (the
                  default), static, code, encoder, decoder, activation, batch, batch-time,
                  learning-rate
              sweep MODEL [--noise 0.05,0.1,0.2,0.5,1.0] [--epochs N] [--data ...] [--out DIR]
                  trains the model briefly at each gaussian noise level (default 3 epochs each),
                  prints validation loss against both baselines, recommends a level and writes
                  DIR/index.html, sweep.png and sweep.csv (default folder: sweep-report)
              weather [--epochs N] [--stride N]
                  trains dev.latent.examples.weather.WeatherDenoiser on the embedded Seattle hourly
                  weather (24-hour windows, one every N hours, default 1) and prints its test error
                  against the identity, the mean window and a moving-average filter
              bench [--quick] [--matrix] [--out DIR]
                  measures training and inference speed of the seed models and writes DIR/bench.json
                  (default folder: bench-report); with --matrix, the training speed of one small
                  model per layer kind on Latent's engine and on DL4J's fit, in DIR/engine-matrix.json

            options for every command: --threads N (native threads at most, default: the cores;
            convolutional networks use them all, dense ones one), --verbose
            """;

    /**
     * The native threads a command may use unless --threads says otherwise: every core. The
     * engines use them by kind of network (NativeSettings.useThreads): all of them on a
     * convolutional one, one on a dense one.
     */
    private static final int DEFAULT_THREADS = Runtime.getRuntime().availableProcessors();

    private Main() {}

    public static void main(String[] args) {
        // Reports are drawn into images, never on a screen; an unreachable DISPLAY must not matter.
        System.setProperty("java.awt.headless", "true");
        List<String> arguments = Arrays.asList(args);
        Optional<Integer> child = Relaunch.withThreads(threadsOf(arguments), Main.class.getName(), arguments);
        System.exit(child.orElseGet(() -> run(arguments, System.out, System.err)));
    }

    /**
     * The --threads value, read before anything else so the relaunched process gets it; the
     * machine's cores when absent, 1 when bad.
     */
    private static int threadsOf(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = arg.startsWith("--threads=") ? arg.substring("--threads=".length())
                    : arg.equals("--threads") && i + 1 < args.size() ? args.get(i + 1) : null;
            if (value != null) {
                try {
                    return Math.max(1, Integer.parseInt(value));
                } catch (NumberFormatException e) {
                    return 1; // run() reports the bad value
                }
            }
        }
        return DEFAULT_THREADS;
    }

    /** Runs one command; returns the process exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean verbose = args.contains("--verbose");
        try {
            if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help")) {
                out.print(USAGE);
                return args.isEmpty() ? 2 : 0;
            }
            String command = args.get(0);
            List<String> rest = args.subList(1, args.size());
            switch (command) {
                case "summary" -> summary(rest, out);
                case "train" -> train(rest, out);
                case "study" -> study(rest, out);
                case "bench" -> bench(rest, out);
                case "calibrate" -> calibrate(rest, out);
                case "sweep" -> sweep(rest, out);
                case "weather" -> weather(rest, out);
                default -> throw new UsageException("unknown command '" + command + "'");
            }
            return 0;
        } catch (UsageException e) {
            err.println("latent: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (RuntimeException | Error e) {
            err.println("latent: " + describe(e));
            if (verbose) {
                e.printStackTrace(err);
            } else {
                err.println("(run with --verbose for the stack trace)");
            }
            return 1;
        }
    }

    private static void summary(List<String> args, PrintStream out) {
        Arguments a = Arguments.parse(args, Set.of("threads"), Set.of("verbose"));
        out.print(ModelLocator.locate(single(a, "summary")).summary());
    }

    private static void train(List<String> args, PrintStream out) {
        Arguments a = Arguments.parse(args,
                Set.of("data", "epochs", "batch-size", "learning-rate", "seed", "out", "threads", "optimizer",
                        "validation-split", "patience", "schedule", "clip", "l2", "weight-init", "resume",
                        "limit-batches", "stride", "columns"),
                Set.of("verbose"));
        AutoencoderNetwork network = ModelLocator.locate(single(a, "train"));
        configureThreads(a);
        DenoisingTrainer<?> trainer = DenoisingTrainer.of(network);
        Path dir = Path.of(a.option("out").orElse("latent-run"));
        Optional<Path> resume = a.option("resume").map(TrainOptions::checkpointDirectory);
        // The checkpoint's settings first, so that flags given with --resume override them.
        resume.ifPresentOrElse(trainer::resume, () -> trainer.checkpoints(dir.resolve("checkpoints")));
        TrainOptions.apply(a, trainer);
        DataSources.Windows windows = new DataSources.Windows(a.intOption("stride", 1).orElse(1),
                a.option("columns").map(c -> List.of(c.split(","))).orElse(List.of()));
        String source = a.option("data").orElse("mnist");
        Optional<StreamedDataset> streamed = DataSources.streamIfLarge(source, network.range(), network.inputShape(),
                Runtime.getRuntime().maxMemory());
        // Split here rather than in the trainer, so that the scaling is fitted on the training part alone.
        DataSources.TrainTest data = streamed.isPresent() ? null : DataSources.load(source, network.range(),
                network.inputShape(), trainer.training().validationSplit(), windows);
        out.println(network.summary());
        TrainingResult result;
        Dataset validation;
        if (streamed.isPresent()) {
            if (!(trainer.training().validationSplit() > 0)) {
                throw new UsageException(source + " is streamed from disk, being larger than a quarter of the heap, "
                        + "and needs a --validation-split above 0 to validate on");
            }
            StreamedDataset.Split parts = streamed.get().splitLast(trainer.training().validationSplit());
            validation = parts.validation().load();
            out.println("streaming " + parts.train().description());
            result = trainer.fit(parts.train(), validation);
        } else {
            result = data.test() == null ? trainer.fit(data.train()) : trainer.fit(data.train(), data.test());
            validation = data.test() != null ? data.test()
                    : data.train().tail(Math.max(1, (int) Math.round(data.train().size() * result.training().validationSplit())));
        }
        Path model = dir.resolve("model.zip");
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(dir + ": cannot create the output folder: " + e.getMessage(), e);
        }
        result.model().save(model);
        try {
            TrainingReport.write(dir, result, network.summary(), validation);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(dir + ": cannot write the report: " + e.getMessage(), e);
        }
        out.println(result);
        out.println("saved " + model + "; report " + dir.resolve(TrainingReport.INDEX));
    }

    private static void study(List<String> args, PrintStream out) {
        Arguments a = Arguments.parse(args, Set.of("epochs", "out", "threads"), Set.of("verbose"));
        if (!a.positional().isEmpty()) {
            throw new UsageException("study takes no model; found " + a.positional());
        }
        configureThreads(a);
        new Study(a.intOption("epochs", 1).orElse(null), Path.of(a.option("out").orElse("study-report")), out).run();
    }

    private static void bench(List<String> args, PrintStream out) {
        Arguments a = Arguments.parse(args, Set.of("out", "threads"), Set.of("quick", "matrix", "verbose"));
        configureThreads(a);
        if (a.flag("matrix")) {
            new EngineMatrix(a.flag("quick"), Path.of(a.option("out").orElse("bench-report")), out).run();
            return;
        }
        new Bench(a.flag("quick"), Path.of(a.option("out").orElse("bench-report")), out).run();
    }

    private static void calibrate(List<String> args, PrintStream out) {
        Arguments a = Arguments.parse(args, Set.of("epochs", "threads"), Set.of("verbose"));
        if (a.positional().size() > 1) {
            throw new UsageException("calibrate takes at most one experiment, found " + a.positional());
        }
        String experiment = a.positional().isEmpty() ? "noise" : a.positional().get(0);
        if (!experiment.equals("all") && !Calibration.EXPERIMENTS.contains(experiment)) {
            throw new UsageException("calibrate has no experiment '" + experiment + "'; use one of "
                    + String.join(", ", Calibration.EXPERIMENTS) + " or all");
        }
        configureThreads(a);
        new Calibration(a.intOption("epochs", 1).orElse(null), out).run(experiment);
    }

    private static void sweep(List<String> args, PrintStream out) {
        Arguments a = Arguments.parse(args, Set.of("noise", "epochs", "data", "out", "threads"), Set.of("verbose"));
        AutoencoderNetwork network = ModelLocator.locate(single(a, "sweep"));
        double[] levels = a.option("noise").map(Main::levels).orElse(Sweep.DEFAULT_LEVELS);
        configureThreads(a);
        DataSources.TrainTest data = DataSources.load(a.option("data").orElse("mnist"), network.range(),
                network.inputShape(), network.training().validationSplit(), DataSources.Windows.DEFAULT);
        new Sweep(network, data, levels, a.intOption("epochs", 1).orElse(3),
                Path.of(a.option("out").orElse("sweep-report")), out).run();
    }

    private static void weather(List<String> args, PrintStream out) {
        Arguments a = Arguments.parse(args, Set.of("epochs", "stride", "threads"), Set.of("verbose"));
        if (!a.positional().isEmpty()) {
            throw new UsageException("weather takes no model; found " + a.positional());
        }
        configureThreads(a);
        new WeatherComparison(a.intOption("epochs", 1).orElse(WeatherDenoiserNetwork.TRAINING.epochs()),
                a.intOption("stride", 1).orElse(1), out).run();
    }

    private static double[] levels(String list) {
        try {
            double[] levels = Arrays.stream(list.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
            for (double level : levels) {
                if (!(level >= 0) || !Double.isFinite(level)) {
                    throw new UsageException("--noise levels must be 0 or more, found " + level);
                }
            }
            return levels;
        } catch (NumberFormatException e) {
            throw new UsageException("--noise takes numbers separated by commas, e.g. 0.05,0.1,0.2; found '" + list + "'");
        }
    }

    private static void configureThreads(Arguments a) {
        NativeSettings.limitThreads(a.intOption("threads", 1).orElse(DEFAULT_THREADS));
    }

    private static String single(Arguments a, String command) {
        if (a.positional().size() != 1) {
            throw new UsageException(command + " needs exactly one model interface, e.g. "
                    + "dev.latent.examples.seed.SeedExample3; found " + a.positional());
        }
        return a.positional().get(0);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // Our own exceptions carry messages meant for the user; others get their type for context.
        return e.getClass().getName().startsWith("dev.latent") || e instanceof IllegalArgumentException
                ? message : e.getClass().getSimpleName() + ": " + message;
    }
}
