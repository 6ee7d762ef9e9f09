package dev.latent.examples.cli;

import dev.latent.examples.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The command line run inside the test's JVM, with what it prints kept for the test to read. */
final class CapturedMain {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs {@code latent args...} and returns its exit code; what an earlier run printed is dropped. */
    int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** What the last run printed on standard output. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the last run printed on standard error. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
