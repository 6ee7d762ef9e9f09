package dev.latent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.examples.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: output, exit codes, one-line errors. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void summaryPrintsTheLayerTable() {
        assertEquals(0, run("summary", "dev.latent.examples.seed.SeedExample3"));
        assertTrue(out().contains("decoder.up1 (Conv2DTranspose)"), out());
        assertTrue(out().contains("Total params: 897,153"), out());
        assertEquals(0, run("summary", "dev.latent.examples.seed.SeedExample1"));
        assertTrue(out().contains("Total params: 209,968"), out());
    }

    @Test
    void calibrateNamesItsExperiments() {
        assertEquals(2, run("calibrate", "depth"));
        assertTrue(err().startsWith("latent: calibrate has no experiment 'depth'; use one of noise, static, code,"), err());
        assertEquals(2, run("calibrate", "code", "batch"));
        assertTrue(err().contains("calibrate takes at most one experiment"), err());
    }

    @Test
    void anUnknownModelIsOneLine() {
        assertEquals(2, run("summary", "p.Missing"));
        assertTrue(err().startsWith("latent: no model interface p.Missing on the class path"), err());
        assertFalse(err().contains("Exception"), err());
    }

    @Test
    void aClassThatIsNotAModelIsOneLine() {
        assertEquals(2, run("summary", "java.lang.String"));
        assertTrue(err().contains("has no generated network java.lang.StringNetwork"), err());
    }

    @Test
    void aBadDataFileIsOneLineWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("images.idx"), "not an idx file");
        assertEquals(1, run("train", "dev.latent.examples.seed.SeedExample1", "--data", bad.toString(), "--out",
                dir.resolve("run").toString()));
        assertTrue(err().startsWith("latent: " + bad + ": "), err());
        assertFalse(err().contains("\tat "), err());
    }

    @Test
    void unknownOptionsAndCommandsGetTheUsage() {
        assertEquals(2, run("train", "dev.latent.examples.seed.SeedExample1", "--epoch", "2"));
        assertTrue(err().contains("unknown option --epoch"), err());
        assertEquals(2, run("fly"));
        assertTrue(err().contains("unknown command 'fly'"), err());
        assertEquals(2, run("train", "dev.latent.examples.seed.SeedExample1", "--epochs", "zero"));
        assertTrue(err().contains("--epochs needs a whole number, found 'zero'"), err());
    }

    @Test
    void trainSavesALoadableModel(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("digits.idx");
        // 300 of the embedded digits, written back as an IDX file the way a user would pass one.
        try (var in = MainTest.class.getResourceAsStream("/dev/latent/examples/mnist/mnist-10k-images-idx3-ubyte.gz")) {
            byte[] all = new java.util.zip.GZIPInputStream(in).readAllBytes();
            byte[] part = java.util.Arrays.copyOf(all, 16 + 300 * 784);
            java.nio.ByteBuffer.wrap(part, 4, 4).putInt(300);
            Files.write(images, part);
        }
        Path runDir = dir.resolve("run");
        assertEquals(0, run("train", "dev.latent.examples.seed.SeedExample1", "--data", images.toString(),
                "--epochs", "1", "--batch-size", "32", "--out", runDir.toString()), err());
        assertTrue(Files.isRegularFile(runDir.resolve("model.zip")));
        assertTrue(Files.isRegularFile(runDir.resolve("checkpoints/last.zip")));
        assertTrue(out().contains("verdict:"), out());
        assertEquals(SeedDigits.SAMPLE_SHAPE,
                dev.latent.runtime.model.Denoiser.load(runDir.resolve("model.zip")).inputShape());
    }

    /** The digits' sample shape, for the round trip above. */
    private static final class SeedDigits {
        static final dev.latent.runtime.Shape SAMPLE_SHAPE = dev.latent.runtime.Shape.of(28, 28, 1);
    }
}
