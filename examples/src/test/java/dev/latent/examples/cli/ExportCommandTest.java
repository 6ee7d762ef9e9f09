package dev.latent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.latent.examples.Main;
import dev.latent.examples.seed.SeedExample1Network;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.model.Denoiser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export MODEL_ZIP --onnx FILE [--part PART]}: the file ONNX Runtime opens, and the one line a mistake gets. */
class ExportCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesEachPartAsAnOnnxModel() throws Exception {
        SeedExample1Network network = new SeedExample1Network();
        Path model = dir.resolve("model.zip");
        Denoiser.of(network, Engines.create(network, network.training(), network.loss())).save(model);
        String[][] parts = {{"autoencoder", "input", "reconstruction"}, {"encoder", "input", "code"},
            {"decoder", "code", "reconstruction"}};
        for (String[] part : parts) {
            Path onnx = dir.resolve(part[0] + ".onnx");
            assertEquals(0, run("export", model.toString(), "--onnx", onnx.toString(), "--part", part[0]),
                    err.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(onnx + ": the " + part[0] + " of "
                    + network.modelName() + " as ONNX (opset 13), '" + part[1] + "' -> '" + part[2] + "'"), out.toString());
            try (OrtSession session = OrtEnvironment.getEnvironment().createSession(Files.readAllBytes(onnx),
                    new OrtSession.SessionOptions())) {
                assertEquals(List.of(part[1]), List.copyOf(session.getInputNames()));
                assertEquals(List.of(part[2]), List.copyOf(session.getOutputNames()));
            }
        }
    }

    @Test
    void aMistakeGetsOneLine() throws Exception {
        Path notAModel = Files.writeString(dir.resolve("notes.zip"), "not a zip");
        assertEquals(2, run("export", notAModel.toString(), "--onnx", "x.onnx", "--part", "middle"));
        assertEquals("latent: --part takes autoencoder, encoder or decoder, found 'middle' (see 'latent export --help')\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("export", notAModel.toString()));
        assertEquals("latent: export needs a value after --onnx (FILE) (see 'latent export --help')\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals(1, run("export", notAModel.toString(), "--onnx", dir.resolve("x.onnx").toString()));
        String line = err.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("latent: ") && line.contains("notes.zip") && line.indexOf('\n') == line.length() - 1,
                line);
    }
}
