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

    /** 300 of the embedded digits, written back as an IDX file the way a user would pass one. */
    private static Path digits(Path dir) throws Exception {
        Path images = dir.resolve("digits.idx");
        try (var in = MainTest.class.getResourceAsStream("/dev/latent/examples/mnist/mnist-10k-images-idx3-ubyte.gz")) {
            byte[] all = new java.util.zip.GZIPInputStream(in).readAllBytes();
            byte[] part = java.util.Arrays.copyOf(all, 16 + 300 * 784);
            java.nio.ByteBuffer.wrap(part, 4, 4).putInt(300);
            Files.write(images, part);
        }
        return images;
    }

    @Test
    void trainTakesEveryTrainingSettingAndResumes(@TempDir Path dir) throws Exception {
        Path images = digits(dir);
        Path runDir = dir.resolve("run");
        assertEquals(0, run("train", "dev.latent.examples.seed.SeedExample1", "--data", images.toString(),
                "--epochs", "1", "--batch-size", "50", "--optimizer", "rmsprop", "--learning-rate", "0.002",
                "--validation-split", "0.2", "--patience", "3", "--schedule", "step:1:0.5", "--clip", "5",
                "--l2", "1e-5", "--weight-init", "he-uniform", "--seed", "9", "--out", runDir.toString()), err());
        assertTrue(out().contains("epochs=1, batchSize=50, optimizer=RMSPROP, learningRate=0.002, seed=9, "
                + "validationSplit=0.2, earlyStoppingPatience=3, schedule=step:1:0.5, gradientClipping=5.0, l2=1.0E-5, "
                + "weightInit=HE_UNIFORM"), out());

        out.reset();
        assertEquals(0, run("train", "dev.latent.examples.seed.SeedExample1", "--data", images.toString(),
                "--resume", runDir.toString(), "--epochs", "2", "--out", runDir.toString()), err());
        assertTrue(out().contains("epochs=2, batchSize=50, optimizer=RMSPROP"), "the checkpoint's settings: " + out());
        assertTrue(out().contains("epochs run: 2"), out());

        assertEquals(2, run("train", "dev.latent.examples.seed.SeedExample1", "--schedule", "linear"));
        assertTrue(err().contains("--schedule: learning-rate schedule 'linear' is not one of constant, step:"), err());
        assertEquals(2, run("train", "dev.latent.examples.seed.SeedExample1", "--weight-init", "zeros"));
        assertTrue(err().contains("--weight-init must be one of declared, glorot-normal, he-normal"), err());
        assertEquals(1, run("train", "dev.latent.examples.seed.SeedExample1", "--data", images.toString(),
                "--resume", dir.resolve("nowhere").toString()));
        assertTrue(err().contains("no checkpoint to resume from"), err());
    }

    @Test
    void sweepTrainsEachLevelAndRecommendsOne(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("sweep");
        assertEquals(0, run("sweep", "dev.latent.examples.seed.SeedExample1", "--noise", "0.05,0.5", "--epochs", "2",
                "--out", report.toString()), err());

        assertTrue(out().lines().anyMatch(l -> l.matches(" +0\\.050 .*IDENTITY")), out());
        assertTrue(out().lines().anyMatch(l -> l.matches(" +0\\.500 .*HEALTHY")), out());
        assertTrue(out().contains("recommended: @Noise(gaussian = 0.5)"), out());
        assertTrue(Files.size(report.resolve("sweep.png")) > 1000);
        assertEquals(3, Files.readAllLines(report.resolve("sweep.csv")).size());
        assertTrue(Files.readString(report.resolve("index.html")).contains("<img src=\"sweep.png\""));

        assertEquals(2, run("sweep", "dev.latent.examples.seed.SeedExample1", "--noise", "0.1,lots"));
        assertTrue(err().contains("--noise takes numbers separated by commas"), err());
    }

    @Test
    void trainSavesALoadableModel(@TempDir Path dir) throws Exception {
        Path images = digits(dir);
        Path runDir = dir.resolve("run");
        assertEquals(0, run("train", "dev.latent.examples.seed.SeedExample1", "--data", images.toString(),
                "--epochs", "1", "--batch-size", "32", "--out", runDir.toString()), err());
        assertTrue(Files.isRegularFile(runDir.resolve("model.zip")));
        assertTrue(Files.isRegularFile(runDir.resolve("checkpoints/last.zip")));
        assertTrue(out().contains("verdict:"), out());
        for (String file : List.of("index.html", "loss-curves.png", "samples.png")) {
            assertTrue(Files.size(runDir.resolve(file)) > 0, "the report's " + file);
        }
        assertEquals(SeedDigits.SAMPLE_SHAPE,
                dev.latent.runtime.model.Denoiser.load(runDir.resolve("model.zip")).inputShape());
    }

    @Test
    void trainsOnACsvAndTheModelKeepsTheFittedScaling(@TempDir Path dir) throws Exception {
        // 300 digits as a user's CSV: a header, then 784 pixel values 0..255 a row.
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            csv.append(i == 0 ? "" : ",").append("p").append(i);
        }
        try (var in = MainTest.class.getResourceAsStream("/dev/latent/examples/mnist/mnist-10k-images-idx3-ubyte.gz")) {
            byte[] all = new java.util.zip.GZIPInputStream(in).readAllBytes();
            for (int s = 0; s < 300; s++) {
                csv.append('\n');
                for (int i = 0; i < 784; i++) {
                    csv.append(i == 0 ? "" : ",").append(all[16 + s * 784 + i] & 0xFF);
                }
            }
        }
        Path file = Files.writeString(dir.resolve("digits.csv"), csv);
        Path runDir = dir.resolve("run");
        assertEquals(0, run("train", "dev.latent.examples.seed.SeedExample1", "--data", file.toString(),
                "--epochs", "1", "--batch-size", "32", "--out", runDir.toString()), err());
        assertTrue(out().contains("digits.csv (300 vectors of 784) as {28, 28, 1} [0, 270), min-max per channel to [0, 1]"),
                out());
        var model = dev.latent.runtime.model.Denoiser.load(runDir.resolve("model.zip"));
        assertEquals(dev.latent.runtime.data.Scaling.Kind.MIN_MAX, model.scaling().kind());
    }

    @Test
    void aCsvWithAWordInACellNamesItsLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.csv"), "a,b\n1,2\n3,x\n");
        assertEquals(1, run("train", "dev.latent.examples.seed.SeedExample1", "--data", file.toString(), "--out",
                dir.resolve("run").toString()));
        assertTrue(err().startsWith("latent: " + file + ": line 3, column 2 ('b'): 'x' is not a number\n"), err());
    }

    /** The digits' sample shape, for the round trip above. */
    private static final class SeedDigits {
        static final dev.latent.runtime.Shape SAMPLE_SHAPE = dev.latent.runtime.Shape.of(28, 28, 1);
    }
}
