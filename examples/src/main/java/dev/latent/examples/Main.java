package dev.latent.examples;

import dev.latent.examples.bench.Bench;
import dev.latent.examples.calibrate.Calibration;
import dev.latent.examples.cli.Arguments;
import dev.latent.examples.cli.DataSources;
import dev.latent.examples.cli.ModelLocator;
import dev.latent.examples.cli.Relaunch;
import dev.latent.examples.cli.UsageException;
import dev.latent.examples.study.Study;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.NativeSettings;
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
                          [--learning-rate X] [--seed N] [--out DIR]
                  trains any compiled model, e.g. dev.latent.examples.seed.SeedExample3, and saves it
                  to DIR/model.zip (default folder: latent-run)
              summary MODEL
                  prints the model's layer table
              calibrate [EXPERIMENT|all] [--epochs N]
                  the experiments behind the warnings' thresholds: short seeded runs on the embedded
                  digits across a grid of one attribute, one row each. EXPERIMENT: noise (the
                  default), static, code, encoder, decoder, activation, batch, batch-time,
                  learning-rate
              bench [--quick] [--out DIR]
                  measures training and inference speed of the seed models and writes DIR/bench.json
                  (default folder: bench-report)

            options for every command: --threads N (native threads, default 1), --verbose
            """;

    private Main() {}

    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        Optional<Integer> child = Relaunch.withThreads(threadsOf(arguments), Main.class.getName(), arguments);
        System.exit(child.orElseGet(() -> run(arguments, System.out, System.err)));
    }

    /** The --threads value, read before anything else so the relaunched process gets it; 1 when absent or bad. */
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
        return 1;
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
                Set.of("data", "epochs", "batch-size", "learning-rate", "seed", "out", "threads"), Set.of("verbose"));
        AutoencoderNetwork network = ModelLocator.locate(single(a, "train"));
        configureThreads(a);
        DataSources.TrainTest data = DataSources.load(a.option("data").orElse("mnist"), network.range(),
                network.inputShape());
        DenoisingTrainer<?> trainer = DenoisingTrainer.of(network);
        a.intOption("epochs", 1).ifPresent(trainer::epochs);
        a.intOption("batch-size", 1).ifPresent(trainer::batchSize);
        a.positiveOption("learning-rate").ifPresent(trainer::learningRate);
        a.option("seed").ifPresent(s -> {
            try {
                trainer.seed(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new UsageException("--seed needs a whole number, found '" + s + "'");
            }
        });
        Path dir = Path.of(a.option("out").orElse("latent-run"));
        trainer.checkpoints(dir.resolve("checkpoints"));
        out.println(network.summary());
        TrainingResult result = data.test() == null ? trainer.fit(data.train()) : trainer.fit(data.train(), data.test());
        Path model = dir.resolve("model.zip");
        result.model().save(model);
        out.println(result);
        out.println("saved " + model);
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
        Arguments a = Arguments.parse(args, Set.of("out", "threads"), Set.of("quick", "verbose"));
        configureThreads(a);
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

    private static void configureThreads(Arguments a) {
        NativeSettings.limitThreads(a.intOption("threads", 1).orElse(1));
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
