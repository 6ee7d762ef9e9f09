package dev.latent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.examples.Main;
import dev.latent.runtime.model.Denoiser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train MODEL --master local[2]}: the run's epochs on Spark, its model and report as on one machine. */
class SparkTrainTest {

    @Test
    void trainOnALocalSparkMasterWritesTheModelAndTheReport(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("train", "dev.latent.examples.seed.SeedExample1", "--master", "local[2]",
                        "--epochs", "1", "--limit-batches", "4", "--out", dir.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("training on Spark 4."), printed);
        assertTrue(printed.contains("in 2 partitions"), printed);
        assertTrue(Files.isRegularFile(dir.resolve("index.html")));
        assertTrue(Files.isRegularFile(dir.resolve("checkpoints").resolve("last.zip")));
        assertEquals("dev.latent.examples.seed.SeedExample1", Denoiser.load(dir.resolve("model.zip")).modelName());
    }
}
