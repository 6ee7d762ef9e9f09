package dev.latent.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.data.Scaling;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.engine.GraphEngine;
import dev.latent.runtime.model.file.ModelFile;
import dev.latent.runtime.model.file.ModelFileException;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.testing.Mnist;
import dev.latent.runtime.testing.SmallDenseNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import dev.latent.runtime.train.DenoisingTrainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The trained-model API: shapes in and out, save and load, and files that are not ours. */
class DenoiserTest {
    private static Dataset digits;
    private static Denoiser trained;

    @BeforeAll
    static void train() {
        digits = Mnist.digits(300);
        trained = DenoisingTrainer.of(new SmallDenseNetwork()).epochs(2).quiet().fit(digits).model();
    }

    @Test
    void savedAndLoadedModelGivesIdenticalOutputs(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("small.zip");
        trained.save(file);
        Denoiser loaded = Denoiser.load(file);

        INDArray batch = digits.features().get(NDArrayIndex.interval(0, 20));
        assertIdentical(trained.denoise(batch), loaded.denoise(batch));
        INDArray codes = trained.encode(batch);
        assertIdentical(codes, loaded.encode(batch));
        assertIdentical(trained.decode(codes), loaded.decode(codes));

        assertEquals(trained.modelName(), loaded.modelName());
        assertEquals(Shape.of(28, 28, 1), loaded.inputShape());
        assertEquals(Shape.of(16), loaded.codeShape());
        assertEquals(DataRange.UNIT, loaded.range());
        assertEquals(new SmallDenseNetwork().parameterCount(), loaded.parameterCount());
        assertEquals(trained.toString(), loaded.toString());
        // Latent's own format: JSON, arrays and properties; nothing a Java deserializer would read.
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertEquals(List.of("latent/engine/kind", ModelFile.AUTOENCODER_ENTRY, ModelFile.ENCODER_ENTRY,
                    ModelFile.DECODER_ENTRY, ModelFile.PARAMETERS_ENTRY, ModelFile.UPDATER_ENTRY, Denoiser.MODEL_ENTRY,
                    Denoiser.SCALING_ENTRY, GraphEngine.PLAN_ENTRY, GraphEngine.PROVENANCE_ENTRY), Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no scratch files left behind");
        }
    }

    @Test
    void untrainedConvolutionalModelWithAnImageCodeRoundTrips(@TempDir Path dir) {
        AutoencoderNetwork network = new TinyConvNetwork();
        Denoiser model = Denoiser.of(network, Engines.create(network, network.training(), network.loss()));
        Path file = dir.resolve("conv.zip");
        model.save(file);
        Denoiser loaded = Denoiser.load(file);

        INDArray images = Mnist.twoChannelDigits(8).features();
        INDArray codes = model.encode(images);
        assertArrayEquals(new long[] {8, 4, 7, 7}, codes.shape());
        assertIdentical(codes, loaded.encode(images));
        assertIdentical(model.decode(codes), loaded.decode(codes));
        assertIdentical(model.denoise(images), loaded.denoise(images));
        assertEquals(Shape.of(7, 7, 4), loaded.codeShape());
    }

    @Test
    void saveReplacesAnExistingFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.zip");
        Files.writeString(file, "an older file");
        trained.save(file);
        trained.save(file);

        assertEquals(trained.modelName(), Denoiser.load(file).modelName());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        UncheckedIOException missingDirectory = assertThrows(UncheckedIOException.class,
                () -> trained.save(dir.resolve("no/such/dir/model.zip")));
        assertTrue(missingDirectory.getMessage().contains("does not exist"), missingDirectory.getMessage());
    }

    @Test
    void takesOneSampleWithoutTheBatchDimension() {
        INDArray batch = digits.features().get(NDArrayIndex.interval(0, 3));
        INDArray one = batch.get(NDArrayIndex.point(1));
        assertArrayEquals(new long[] {1, 28, 28}, one.shape());

        INDArray denoised = trained.denoise(one);
        assertArrayEquals(new long[] {1, 28, 28}, denoised.shape());
        INDArray code = trained.encode(one);
        assertArrayEquals(new long[] {16}, code.shape());
        INDArray decoded = trained.decode(code);
        assertArrayEquals(new long[] {1, 28, 28}, decoded.shape());

        INDArray fromBatch = trained.denoise(batch).get(NDArrayIndex.point(1));
        assertArrayEquals(fromBatch.ravel().toFloatVector(), denoised.ravel().toFloatVector(), 1e-6f);
        assertArrayEquals(new long[] {3, 16}, trained.encode(batch).shape());
        // Doubles are accepted and answered in the network's precision.
        assertEquals(DataType.FLOAT, trained.denoise(batch.castTo(DataType.DOUBLE)).dataType());
    }

    @Test
    void wrongShapesGetAMessageWithExpectedAndFound() {
        INDArray channelsLast = digits.features().get(NDArrayIndex.interval(0, 2)).permute(0, 2, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trained.denoise(channelsLast));
        assertEquals("denoise expects a batch of shape [n, 1, 28, 28] or one input of shape [1, 28, 28] "
                + "(input {28, 28, 1} in Keras order), found [2, 28, 28, 1]; this looks channels-last: images are "
                + "channels-first here, use array.permute(0, 3, 1, 2)", e.getMessage());

        IllegalArgumentException code = assertThrows(IllegalArgumentException.class,
                () -> trained.decode(digits.features().get(NDArrayIndex.interval(0, 2)).reshape(2, 784)));
        assertTrue(code.getMessage().startsWith("decode expects a batch of shape [n, 16] or one code of shape [16]"),
                code.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trained.encode(digits.features().reshape(300, 784)));
    }

    @Test
    void loadRejectsFilesThatAreNotOurs(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.zip");
        trained.save(good);
        byte[] bytes = Files.readAllBytes(good);

        Path text = Files.writeString(dir.resolve("notes.txt"), "not a model\n");
        Path empty = Files.write(dir.resolve("empty.zip"), new byte[0]);
        Path truncated = Files.write(dir.resolve("truncated.zip"), Arrays.copyOf(bytes, bytes.length / 2));
        Path randomZip = zip(dir.resolve("random.zip"), "hello.txt", "hello");
        Path wrongFormat = zip(dir.resolve("other.zip"), Denoiser.MODEL_ENTRY, "format=something-else\n");
        Path newer = zip(dir.resolve("newer.zip"), Denoiser.MODEL_ENTRY,
                "format=latent-denoiser\nformatVersion=99\nmodelName=x\ninputShape=1\ncodeShape=1\nrange=UNIT\nparameterCount=1\n");
        Path dl4j = dir.resolve("dl4j.zip");
        SmallDenseNetwork network = new SmallDenseNetwork();
        ComputationGraph graph = new ComputationGraph(network.configuration(GraphPart.AUTOENCODER, network.training(),
                network.loss()));
        graph.init();
        ModelSerializer.writeModel(graph, dl4j.toFile(), true);

        assertRejected(text, "not a zip archive");
        assertRejected(empty, "empty file");
        assertRejected(truncated, "not a zip archive, or a truncated one");
        assertRejected(randomZip, "not a Latent model (no latent/model.properties)");
        assertRejected(wrongFormat, "format 'something-else'");
        assertRejected(newer, "newer Latent (format version 99)");
        assertRejected(dl4j, "a DL4J model without Latent's entries");
        assertRejected(dir.resolve("missing.zip"), "no such file");
        assertRejected(dir, "is a directory");
    }

    @Test
    void theTrainingDataScalingIsSavedAndAppliedToRawData(@TempDir Path dir) {
        // The digits were read as pixels 0..255 and scaled to [0, 1]; the model keeps that map.
        assertEquals(Scaling.Kind.PIXELS, trained.scaling().kind());
        Path file = dir.resolve("scaled.zip");
        trained.save(file);
        Denoiser loaded = Denoiser.load(file);
        assertEquals(trained.scaling(), loaded.scaling());

        INDArray batch = digits.features().get(NDArrayIndex.interval(0, 5));
        INDArray pixels = batch.mul(255);
        INDArray raw = loaded.denoiseRaw(pixels);
        assertArrayEquals(trained.denoise(batch).mul(255).ravel().toFloatVector(), raw.ravel().toFloatVector(), 1e-3f);
        // One sample without the batch dimension answers in kind.
        assertArrayEquals(new long[] {1, 28, 28}, loaded.denoiseRaw(pixels.get(NDArrayIndex.point(0))).shape());
    }

    @Test
    void filesWithoutAScalingLoadWithTheIdentity(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.zip");
        trained.save(good);
        Path old = rewrite(good, dir.resolve("old.zip"), Denoiser.SCALING_ENTRY, null);
        Denoiser loaded = Denoiser.load(old);
        assertEquals(Scaling.identity(Shape.of(28, 28, 1), DataRange.UNIT), loaded.scaling());
        INDArray batch = digits.features().get(NDArrayIndex.interval(0, 5));
        assertIdentical(trained.denoise(batch), loaded.denoise(batch));
        assertIdentical(loaded.denoise(batch), loaded.denoiseRaw(batch));

        assertRejected(rewrite(good, dir.resolve("bad.zip"), Denoiser.SCALING_ENTRY, "kind=PIXELS\n"),
                "corrupt latent/scaling.properties: missing range");
        String otherShape = Scaling.identity(Shape.of(4), DataRange.UNIT).toText();
        assertRejected(rewrite(good, dir.resolve("shape.zip"), Denoiser.SCALING_ENTRY, otherShape),
                "corrupt latent/scaling.properties: a scaling for {4} in UNIT, the model takes {28, 28, 1} in UNIT");
    }

    /** A copy of {@code from} with {@code entry} replaced by {@code text}, or left out when it is null. */
    private static Path rewrite(Path from, Path to, String entry, String text) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream out = Files.newOutputStream(to);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e : Collections.list(in.entries())) {
                if (!e.getName().equals(entry)) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream data = in.getInputStream(e)) {
                        data.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
            if (text != null) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(text.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return to;
    }

    private static void assertRejected(Path file, String problem) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> Denoiser.load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(file, e.file());
    }

    private static Path zip(Path file, String entry, String text) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(text.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    private static void assertIdentical(INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.ravel().toFloatVector(), actual.ravel().toFloatVector());
    }
}
