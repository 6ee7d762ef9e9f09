package dev.latent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: output, exit codes, one-line errors. */
class MainTest {
    private final CapturedMain cli = new CapturedMain();

    @Test
    void summaryPrintsTheLayerTable() {
        assertEquals(0, cli.run("summary", "dev.latent.examples.seed.SeedExample3"));
        assertTrue(cli.out().contains("decoder.up1 (Conv2DTranspose)"), cli.out());
        assertTrue(cli.out().contains("Total params: 897,153"), cli.out());
        assertEquals(0, cli.run("summary", "dev.latent.examples.seed.SeedExample1"));
        assertTrue(cli.out().contains("Total params: 209,968"), cli.out());
    }

    @Test
    void calibrateNamesItsExperiments() {
        assertEquals(2, cli.run("calibrate", "depth"));
        assertTrue(cli.err().startsWith("latent: calibrate has no experiment 'depth'; use one of noise, static, code,"),
                cli.err());
        assertEquals(2, cli.run("calibrate", "code", "batch"));
        assertTrue(cli.err().contains("calibrate takes at most one experiment"), cli.err());
    }

    @Test
    void anUnknownModelIsOneLine() {
        assertEquals(2, cli.run("summary", "p.Missing"));
        assertTrue(cli.err().startsWith("latent: no model interface p.Missing on the class path"), cli.err());
        assertFalse(cli.err().contains("Exception"), cli.err());
    }

    @Test
    void aClassThatIsNotAModelIsOneLine() {
        assertEquals(2, cli.run("summary", "java.lang.String"));
        assertTrue(cli.err().contains("has no generated network java.lang.StringNetwork"), cli.err());
    }

    @Test
    void aBadDataFileIsOneLineWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("images.idx"), "not an idx file");
        assertEquals(1, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--data", bad.toString(), "--out",
                dir.resolve("run").toString()));
        assertTrue(cli.err().startsWith("latent: " + bad + ": "), cli.err());
        assertFalse(cli.err().contains("\tat "), cli.err());
    }

    @Test
    void unknownOptionsAndCommandsGetTheUsage() {
        assertEquals(2, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--epoch", "2"));
        assertTrue(cli.err().contains("unknown option --epoch"), cli.err());
        assertEquals(2, cli.run("fly"));
        assertTrue(cli.err().contains("unknown command 'fly'"), cli.err());
        assertEquals(2, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--epochs", "zero"));
        assertTrue(cli.err().contains("--epochs needs a whole number, found 'zero'"), cli.err());
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
        assertEquals(0, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--data", images.toString(),
                "--epochs", "1", "--batch-size", "50", "--optimizer", "rmsprop", "--learning-rate", "0.002",
                "--validation-split", "0.2", "--patience", "3", "--schedule", "step:1:0.5", "--clip", "5",
                "--l2", "1e-5", "--weight-init", "he-uniform", "--seed", "9", "--out", runDir.toString()), cli.err());
        assertTrue(cli.out().contains("epochs=1, batchSize=50, optimizer=RMSPROP, learningRate=0.002, seed=9, "
                + "validationSplit=0.2, earlyStoppingPatience=3, schedule=step:1:0.5, gradientClipping=5.0, l2=1.0E-5, "
                + "weightInit=HE_UNIFORM"), cli.out());

        assertEquals(0, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--data", images.toString(),
                "--resume", runDir.toString(), "--epochs", "2", "--out", runDir.toString()), cli.err());
        assertTrue(cli.out().contains("epochs=2, batchSize=50, optimizer=RMSPROP"),
                "the checkpoint's settings: " + cli.out());
        assertTrue(cli.out().contains("epochs run: 2"), cli.out());

        assertEquals(2, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--schedule", "linear"));
        assertTrue(cli.err().contains("--schedule: learning-rate schedule 'linear' is not one of constant, step:"),
                cli.err());
        assertEquals(2, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--weight-init", "zeros"));
        assertTrue(cli.err().contains("--weight-init must be one of declared, glorot-normal, he-normal"), cli.err());
        assertEquals(1, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--data", images.toString(),
                "--resume", dir.resolve("nowhere").toString()));
        assertTrue(cli.err().contains("no checkpoint to resume from"), cli.err());
    }

    @Test
    void sweepTrainsEachLevelAndRecommendsOne(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("sweep");
        assertEquals(0, cli.run("sweep", "dev.latent.examples.seed.SeedExample1", "--noise", "0.05,0.5",
                "--epochs", "2", "--out", report.toString()), cli.err());

        assertTrue(cli.out().lines().anyMatch(l -> l.matches(" +0\\.050 .*IDENTITY")), cli.out());
        assertTrue(cli.out().lines().anyMatch(l -> l.matches(" +0\\.500 .*HEALTHY")), cli.out());
        assertTrue(cli.out().contains("recommended: @Noise(gaussian = 0.5)"), cli.out());
        assertTrue(Files.size(report.resolve("sweep.png")) > 1000);
        assertEquals(3, Files.readAllLines(report.resolve("sweep.csv")).size());
        assertTrue(Files.readString(report.resolve("index.html")).contains("<img src=\"sweep.png\""));

        assertEquals(2, cli.run("sweep", "dev.latent.examples.seed.SeedExample1", "--noise", "0.1,lots"));
        assertTrue(cli.err().contains("--noise takes numbers separated by commas"), cli.err());
    }

    @Test
    void trainSavesALoadableModel(@TempDir Path dir) throws Exception {
        Path images = digits(dir);
        Path runDir = dir.resolve("run");
        assertEquals(0, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--data", images.toString(),
                "--epochs", "1", "--batch-size", "32", "--out", runDir.toString()), cli.err());
        assertTrue(Files.isRegularFile(runDir.resolve("model.zip")));
        assertTrue(Files.isRegularFile(runDir.resolve("checkpoints/last.zip")));
        assertTrue(cli.out().contains("verdict:"), cli.out());
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
        assertEquals(0, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--data", file.toString(),
                "--epochs", "1", "--batch-size", "32", "--out", runDir.toString()), cli.err());
        assertTrue(cli.out().contains("digits.csv (300 vectors of 784) as {28, 28, 1} [0, 270), min-max per channel to [0, 1]"),
                cli.out());
        var model = dev.latent.runtime.model.Denoiser.load(runDir.resolve("model.zip"));
        assertEquals(dev.latent.runtime.data.Scaling.Kind.MIN_MAX, model.scaling().kind());
    }

    @Test
    void aCsvWithAWordInACellNamesItsLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.csv"), "a,b\n1,2\n3,x\n");
        assertEquals(1, cli.run("train", "dev.latent.examples.seed.SeedExample1", "--data", file.toString(), "--out",
                dir.resolve("run").toString()));
        assertTrue(cli.err().startsWith("latent: " + file + ": line 3, column 2 ('b'): 'x' is not a number\n"),
                cli.err());
    }

    /** The digits' sample shape, for the round trip above. */
    private static final class SeedDigits {
        static final dev.latent.runtime.settings.Shape SAMPLE_SHAPE = dev.latent.runtime.settings.Shape.of(28, 28, 1);
    }
}
