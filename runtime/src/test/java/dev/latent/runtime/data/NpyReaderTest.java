package dev.latent.runtime.data;

import static dev.latent.runtime.data.IdxFiles.concat;
import static dev.latent.runtime.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.settings.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NumPy .npy files written byte by byte as np.save writes them, and every way one can be wrong. */
class NpyReaderTest {
    @TempDir
    Path dir;

    /** Preamble and header, padded with spaces to a multiple of 64 and ended by a newline, as NumPy does. */
    static byte[] header(String descr, boolean fortran, int... shape) {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).reduce((a, b) -> a + ", " + b).orElse("")
                + (shape.length == 1 ? "," : "");
        StringBuilder dict = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': "
                + (fortran ? "True" : "False") + ", 'shape': (" + dims + "), }");
        while ((10 + dict.length() + 1) % 64 != 0) {
            dict.append(' ');
        }
        dict.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + dict.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) dict.length());
        b.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private Path npy(String name, byte[]... parts) {
        return write(dir, name, concat(parts));
    }

    private DataFileException failure(Path file) {
        return assertThrows(DataFileException.class, () -> Datasets.readNpy(file));
    }

    @Test
    void float32VectorsRead() {
        Samples s = Datasets.readNpy(npy("v.npy", header("<f4", false, 2, 3), floats(0, 1, 2, 3, 4, 5.5f)));
        assertEquals(Shape.of(3), s.sampleShape());
        assertEquals(2, s.size());
        assertFalse(s.pixels());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5.5f}, s.features().ravel().toFloatVector());
        assertEquals("v.npy (2 vectors of 3)", s.description());
    }

    @Test
    void otherDtypesWidenToFloat() {
        ByteBuffer doubles = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(-1.5).putDouble(2.25);
        assertArrayEquals(new float[] {-1.5f, 2.25f},
                Datasets.readNpy(npy("d.npy", header("<f8", false, 1, 2), doubles.array())).features().ravel().toFloatVector());
        ByteBuffer ints = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).putInt(70000);
        assertArrayEquals(new float[] {-7, 70000},
                Datasets.readNpy(npy("i.npy", header("<i4", false, 1, 2), ints.array())).features().ravel().toFloatVector());
        ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-3).putLong(1L << 40);
        assertArrayEquals(new float[] {-3, (float) (1L << 40)},
                Datasets.readNpy(npy("l.npy", header("<i8", false, 1, 2), longs.array())).features().ravel().toFloatVector());
    }

    @Test
    void unsignedBytesAreImagePixels() {
        // [n, H, W, C] = [1, 1, 2, 3], channels last as Keras saves them: read channels first.
        Samples s = Datasets.readNpy(npy("img.npy", header("|u1", false, 1, 1, 2, 3),
                new byte[] {10, 20, 30, 40, 50, (byte) 255}));
        assertTrue(s.pixels());
        assertEquals(Shape.of(1, 2, 3), s.sampleShape());
        assertArrayEquals(new long[] {1, 3, 1, 2}, s.features().shape());
        assertArrayEquals(new float[] {10, 40, 20, 50, 30, 255}, s.features().ravel().toFloatVector());
    }

    @Test
    void badMagicIsReported() {
        Path file = npy("x.npy", "hello, this is not numpy".getBytes(StandardCharsets.US_ASCII));
        assertEquals(file + ": not a .npy file: magic bytes 68 65 6C 6C 6F 2C, expected 93 4E 55 4D 50 59 (\\x93NUMPY)",
                failure(file).getMessage());
    }

    @Test
    void emptyAndTruncatedFilesAreReported() {
        Path empty = npy("e.npy", new byte[0]);
        assertEquals(empty + ": empty file, expected a .npy file", failure(empty).getMessage());
        Path shortData = npy("t.npy", header("<f4", false, 2, 3), floats(1, 2, 3, 4, 5));
        assertEquals(shortData + ": truncated: shape (2 x 3) of float32 needs 24 bytes of data, the file has 20",
                failure(shortData).getMessage());
        byte[] head = header("<f4", false, 2, 3);
        Path cutHeader = npy("h.npy", Arrays.copyOf(head, 40));
        assertEquals(cutHeader + ": truncated: the file ends inside the header", failure(cutHeader).getMessage());
    }

    @Test
    void trailingBytesAreReported() {
        Path file = npy("g.npy", header("<f4", false, 1, 1), floats(1, 2));
        assertEquals(file + ": trailing garbage: shape (1 x 1) of float32 needs 4 bytes of data, the file has 8",
                failure(file).getMessage());
    }

    @Test
    void fortranOrderIsReported() {
        Path file = npy("f.npy", header("<f4", true, 2, 3), floats(0, 1, 2, 3, 4, 5));
        assertEquals(file + ": fortran_order is True, expected C order; save it with "
                + "np.save(path, np.ascontiguousarray(array))", failure(file).getMessage());
    }

    @Test
    void bigEndianAndUnknownDtypesAreReported() {
        Path big = npy("b.npy", header(">f4", false, 1, 1), floats(1));
        assertTrue(failure(big).getMessage().startsWith(big + ": dtype '>f4' is big-endian, expected little-endian"));
        Path complex = npy("c.npy", header("<c8", false, 1, 1), floats(1, 2));
        assertTrue(failure(complex).getMessage().startsWith(complex + ": dtype '<c8', expected one of float32 (<f4)"));
    }

    @Test
    void rankOneAndNonFiniteValuesAreReported() {
        Path labels = npy("labels.npy", header("<f4", false, 3), floats(1, 2, 3));
        assertTrue(failure(labels).getMessage().startsWith(labels + ": rank 1 (dimensions 3), expected images"));
        Path nan = npy("nan.npy", header("<f4", false, 2, 2), floats(1, 2, 3, Float.NaN));
        assertEquals(nan + ": value NaN at sample 2, element 2: expected finite numbers", failure(nan).getMessage());
    }
}
