package dev.latent.runtime.data;

import static dev.latent.runtime.data.IdxFiles.concat;
import static dev.latent.runtime.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.settings.Shape;
import dev.latent.runtime.testing.NpyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Data read from disk a block at a time: the same values, scaling and errors as data read whole. */
class StreamedDatasetTest {
    private static final String DIGITS = "mnist-1k-images-idx3-ubyte.gz";
    private static final Shape DIGIT = Shape.of(28, 28, 1);

    @TempDir
    Path dir;

    private Path rawDigits() throws IOException {
        Path raw = dir.resolve("digits-idx3-ubyte");
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/" + DIGITS))) {
            Files.copy(in, raw);
        }
        return raw;
    }

    @Test
    void blocksHoldTheValuesTheWholeFileReadsAs() throws IOException {
        Path raw = rawDigits();
        StreamedDataset stream = Datasets.stream(raw, DIGIT, DataRange.UNIT).blockSize(300);
        Dataset whole = Datasets.fromIdx(raw, DataRange.UNIT);

        assertEquals(1000, stream.size());
        assertEquals(4, stream.blocks());
        assertEquals(100, stream.block(3).size(), "the last block is short");
        List<INDArray> blocks = new ArrayList<>();
        for (int b = 0; b < stream.blocks(); b++) {
            blocks.add(stream.block(b).features());
        }
        assertEquals(whole.features(), Nd4j.concat(0, blocks.toArray(INDArray[]::new)));
        assertEquals(whole.scaling(), stream.scaling());
        // Summed in double block by block, where ND4J's mean of the whole sums in float.
        assertTrue(whole.mean().equalsWithEps(stream.mean(), 1e-5), "the mean sample");
        assertEquals("digits-idx3-ubyte (1,000 samples of {28, 28, 1}, streamed in blocks of 300)",
                stream.description());
    }

    @Test
    void theScalingFittedBlockByBlockIsTheOneFittedOnTheWholeFile() {
        // Six features on different scales, so each kind of scaling has something to fit per feature.
        int n = 500;
        float[] values = new float[n * 6];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * (1 + i % 6) + 10 * (i % 6) - 20);
        }
        Path file = dir.resolve("v.npy");
        NpyFiles.writeRepeated(file, values, 1, 6);
        INDArray probe = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 7, 6).muli(60).subi(20);
        for (DataRange range : DataRange.values()) {
            Scaling whole = Scaling.fit(Datasets.readNpy(file), range);
            Scaling streamed = Datasets.stream(file, Shape.of(6), range).blockSize(64).scaling();
            assertEquals(whole.kind(), streamed.kind(), range.toString());
            assertTrue(whole.apply(probe).equalsWithEps(streamed.apply(probe), 1e-4), range + ": " + whole + " vs " + streamed);
        }
    }

    @Test
    void theValidationPartTakesTheScalingOfTheTrainingPart() {
        // Values 0..9 per sample index: the held-out tail lies above everything the scaling saw.
        float[] values = new float[10 * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 2;
        }
        Path file = dir.resolve("rising.npy");
        NpyFiles.writeRepeated(file, values, 1, 2);
        StreamedDataset.Split split = Datasets.stream(file, Shape.of(2), DataRange.UNIT).blockSize(3).splitLast(0.2);

        assertEquals(8, split.train().size());
        assertEquals(2, split.validation().size());
        assertEquals(split.train().scaling(), split.validation().scaling());
        assertEquals(Scaling.Kind.MIN_MAX, split.train().scaling().kind());
        assertEquals(1.0f, split.train().block(2).features().maxNumber().floatValue(), "7 is the training maximum");
        assertEquals(9 / 7f, split.validation().load().features().maxNumber().floatValue(), 1e-6f);
    }

    @Test
    void aGzippedFileIsRefusedWithHowToFixIt() throws IOException {
        Path gz = dir.resolve(DIGITS);
        try (InputStream in = getClass().getResourceAsStream("/" + DIGITS)) {
            Files.copy(in, gz);
        }
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.stream(gz, DIGIT, DataRange.UNIT));
        assertEquals(gz + ": is gzipped, and a compressed file cannot be read by position; gunzip it first (gunzip -k "
                + gz + ") and stream the raw file", e.getMessage());
    }

    @Test
    void aTruncatedOrMisshapenFileFailsWhenOpenedNotMidTraining() {
        Path idx = write(dir, "cut-idx3-ubyte", concat(IdxFiles.header(0x08, 3, 2, 2), new byte[10]));
        assertEquals(idx + ": truncated: header says 3 x 2 x 2 unsigned bytes (12 bytes), the file has 10 bytes after "
                + "the header", assertThrows(DataFileException.class,
                        () -> Datasets.stream(idx, Shape.of(2, 2, 1), DataRange.UNIT)).getMessage());

        Path longer = write(dir, "long-idx3-ubyte", concat(IdxFiles.header(0x08, 1, 2, 2), new byte[5]));
        assertTrue(assertThrows(DataFileException.class, () -> Datasets.stream(longer, Shape.of(2, 2, 1),
                DataRange.UNIT)).getMessage().startsWith(longer + ": trailing garbage: header says 1 x 2 x 2"));

        Path npy = dir.resolve("short.npy");
        NpyFiles.writeRepeated(npy, new float[] {1, 2, 3, 4}, 1, 2);
        write(dir, "short.npy", java.util.Arrays.copyOf(readAll(npy), readAll(npy).length - 3));
        assertEquals(npy + ": truncated: shape (2 x 2) of float32 needs 16 bytes of data, the file has 13",
                assertThrows(DataFileException.class, () -> Datasets.stream(npy, Shape.of(2), DataRange.UNIT))
                        .getMessage());

        Path ok = write(dir, "ok-idx3-ubyte", concat(IdxFiles.header(0x08, 1, 2, 2), new byte[4]));
        assertEquals(ok + ": samples of {2, 2, 1} (4 values) do not fit the model's input {5} (5 values)",
                assertThrows(DataFileException.class, () -> Datasets.stream(ok, Shape.of(5), DataRange.UNIT))
                        .getMessage());
    }

    @Test
    void aValueThatIsNotFiniteFailsItsBlockNamingTheFile() {
        Path file = dir.resolve("nan.npy");
        NpyFiles.writeRepeated(file, new float[] {1, 2, 3, Float.NaN}, 1, 2);
        StreamedDataset stream = Datasets.stream(file, Shape.of(2), DataRange.UNBOUNDED).blockSize(1);
        DataFileException e = assertThrows(DataFileException.class, stream::scaling);
        assertTrue(e.getMessage().startsWith(file + ": value NaN at sample 2, element 2"), e.getMessage());
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
