package dev.latent.examples.cli;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.settings.NativeSettings;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * Latent's command line: the commands, the options every command takes, and how a run of it
 * ends (an exit code and, on a problem, one line). Built on picocli, which parses, checks and
 * prints the usage of each command and generates the completion script.
 */
@Command(name = "latent", sortOptions = false, usageHelpAutoWidth = true,
        description = "Trains, summarises, sweeps and benchmarks denoising autoencoders declared with Latent's "
                + "annotations: the examples compiled in, and your own models with --classpath.",
        subcommands = {SummaryCommand.class, TrainCommand.class, SweepCommand.class, StudyCommand.class,
            WeatherCommand.class, CalibrateCommand.class, BenchCommand.class, ExportCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%n", footer = {"Run 'latent COMMAND --help' for a command's options. Your own models: "
                + "latent --classpath target/classes train my.models.MyModel", "(latent is the launcher beside "
                + "latent-examples.jar; 'java -jar latent-examples.jar' takes the same arguments.)"})
public final class LatentCommand implements Callable<Integer> {
    /** The exit code of a command line that cannot be run as written. */
    public static final int USAGE_ERROR = 2;
    /** The exit code of a command that failed. */
    public static final int FAILURE = 1;
    /** The commands that load the native library, and so run in a child with its threads set. */
    private static final Set<String> NATIVE = Set.of("train", "sweep", "study", "weather", "calibrate", "bench");

    @Option(names = "--threads", paramLabel = "N", scope = ScopeType.INHERIT, converter = Converters.Threads.class,
            description = "native threads at most (default: the cores; convolutional networks use them all, dense "
                    + "ones one)")
    Integer threads;

    @Option(names = {"--classpath", "-cp"}, paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "folders and jars of your compiled models, separated by ':' (also read from "
                    + UserClassPath.VARIABLE + ")")
    List<String> classpath = new ArrayList<>();

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "a failure's stack trace too")
    boolean verbose;

    @Mixin
    HelpOption help;

    final PrintStream out;
    final PrintStream err;
    private UserClassPath userClassPath;

    private LatentCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the command line {@code args}; returns the exit code. With {@code relaunch}, a command
     * that trains runs in a child process with its native threads set (see {@link Relaunch}).
     */
    public static int execute(List<String> args, PrintStream out, PrintStream err, boolean relaunch,
            String mainClass) {
        LatentCommand root = new LatentCommand(out, err);
        CommandLine cli = new CommandLine(root);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, given) -> root.usageError(e.getCommandLine(), ErrorLines.of(e)));
        cli.setExecutionExceptionHandler((e, command, parsed) -> root.failed(e, command));
        cli.setExecutionStrategy(parsed -> {
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help;
            }
            if (relaunch && needsNativeThreads(parsed)) {
                Optional<Integer> child = Relaunch.withThreads(root.threads(), mainClass, args);
                if (child.isPresent()) {
                    return child.get();
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        try {
            return cli.execute(args.toArray(String[]::new));
        } catch (RuntimeException | Error e) {
            // What picocli lets through: errors (out of memory, a native library that fails to load).
            return root.failed(e, cli);
        }
    }

    private static boolean needsNativeThreads(ParseResult parsed) {
        return parsed.subcommand() != null && NATIVE.contains(parsed.subcommand().commandSpec().name());
    }

    /** Without a command: the usage, and the exit code of a command line that cannot run. */
    @Override
    public Integer call() {
        CommandLine.usage(this, out);
        return USAGE_ERROR;
    }

    /** The native threads asked for, or every core. */
    int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Limits the native threads before the command's first use of ND4J. */
    void configureThreads() {
        NativeSettings.limitThreads(threads());
    }

    /** The network generated for the model interface {@code name}, on the class path or the user's. */
    AutoencoderNetwork locate(String name) {
        if (userClassPath == null) {
            userClassPath = UserClassPath.of(System.getenv(UserClassPath.VARIABLE), classpath);
        }
        return ModelLocator.locate(name, userClassPath.loader(Thread.currentThread().getContextClassLoader()),
                userClassPath.entries());
    }

    /** One line naming the problem, and where the command's usage is. */
    int usageError(CommandLine command, String problem) {
        err.println("latent: " + problem + " (see '" + command.getCommandSpec().qualifiedName(" ") + " --help')");
        return USAGE_ERROR;
    }

    private int failed(Throwable e, CommandLine command) {
        if (e instanceof UsageException) {
            return usageError(command, e.getMessage());
        }
        err.println("latent: " + ErrorLines.of(e));
        if (verbose) {
            e.printStackTrace(err);
        }
        return FAILURE;
    }
}
