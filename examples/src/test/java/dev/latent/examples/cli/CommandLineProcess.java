package dev.latent.examples.cli;

import dev.latent.examples.Main;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/** The command line started as a user starts it: its own JVM, its output in files. */
final class CommandLineProcess {
    final Process process;
    final Path out;
    final Path err;

    private CommandLineProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts {@code java -cp <the tests' class path> Main args}, logging into {@code dir/name.out}
     * and {@code .err}. Without {@code relaunch}, OMP_NUM_THREADS is set and the process trains
     * itself; with it, the command line starts its child as it does for a user.
     */
    static CommandLineProcess start(Path dir, String name, boolean relaunch, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "-Dorg.bytedeco.javacpp.platform.extension="
                        + System.getProperty("org.bytedeco.javacpp.platform.extension", ""),
                Main.class.getName()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile());
        // Surefire sets it for the tests' own JVM; a user's shell does not.
        builder.environment().remove(Relaunch.VARIABLE);
        builder.environment().remove(Relaunch.PARENT);
        if (!relaunch) {
            builder.environment().put(Relaunch.VARIABLE, "1");
        }
        return new CommandLineProcess(builder.start(), dir.resolve(name + ".out"), dir.resolve(name + ".err"));
    }

    /** Waits for the end; the exit code. */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the command line did not end in 5 minutes");
        }
        return process.exitValue();
    }

    String out() throws IOException {
        return Files.readString(out);
    }

    String err() throws IOException {
        return Files.readString(err);
    }

    /** The first {@code samples} of the embedded digits, written as an IDX file the way a user would pass one. */
    static Path digits(Path dir, int samples) throws IOException {
        Path images = dir.resolve("digits.idx");
        try (InputStream in = CommandLineProcess.class.getResourceAsStream(
                "/dev/latent/examples/mnist/mnist-10k-images-idx3-ubyte.gz")) {
            byte[] all = new GZIPInputStream(in).readAllBytes();
            byte[] part = Arrays.copyOf(all, 16 + samples * 784);
            java.nio.ByteBuffer.wrap(part, 4, 4).putInt(samples);
            Files.write(images, part);
        }
        return images;
    }
}
