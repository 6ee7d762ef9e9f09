package dev.latent.examples;

import dev.latent.examples.cli.LatentCommand;
import dev.latent.examples.cli.Relaunch;
import java.io.PrintStream;
import java.util.List;

/**
 * Latent's command line: {@code summary}, {@code train}, {@code sweep}, {@code study},
 * {@code weather}, {@code calibrate}, {@code bench} and {@code completion} (see
 * {@link LatentCommand}). Prints one clear line per problem and exits non-zero; {@code --verbose}
 * adds the stack trace.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // Reports are drawn into images, never on a screen; an unreachable DISPLAY must not matter.
        System.setProperty("java.awt.headless", "true");
        Relaunch.watchParent();
        System.exit(LatentCommand.execute(List.of(args), System.out, System.err, true, Main.class.getName()));
    }

    /** Runs one command in this process; returns the process exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return LatentCommand.execute(args, out, err, false, Main.class.getName());
    }
}
