package dev.latent.runtime.data;

import static dev.latent.runtime.data.IdxFiles.concat;
import static dev.latent.runtime.data.IdxFiles.gzip;
import static dev.latent.runtime.data.IdxFiles.header;
import static dev.latent.runtime.data.IdxFiles.idx;
import static dev.latent.runtime.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** Values each type holds exactly, including its extremes. */
    private static double[] samples(IdxArray.Type type) {
        return switch (type) {
            case UNSIGNED_BYTE -> new double[] {0, 1, 127, 128, 200, 255};
            case BYTE -> new double[] {-128, -1, 0, 1, 64, 127};
            case SHORT -> new double[] {-32768, -300, 0, 1, 256, 32767};
            case INT -> new double[] {-16777216, -70000, 0, 1, 65536, 16777216};
            case FLOAT -> new double[] {-1.5, -0.0, 0, 0.1f, 3.25, 1e30f};
            case DOUBLE -> new double[] {-2.5, 0, 0.5, 0.1f, 1e10, -1e-3f};
        };
    }

    @ParameterizedTest
    @EnumSource(IdxArray.Type.class)
    void readsEveryTypeRawAndGzipped(IdxArray.Type type) {
        double[] values = samples(type);
        byte[] raw = idx(type, new int[] {2, 3}, values);
        for (byte[] content : new byte[][] {raw, gzip(raw)}) {
            IdxArray a = IdxReader.read(write(dir, "t.idx", content));
            assertEquals(type, a.type());
            assertArrayEquals(new int[] {2, 3}, a.dims());
            float[] expected = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                expected[i] = (float) values[i];
            }
            assertArrayEquals(expected, a.values());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void keepsRankDimensionsAndOrder(int rank) {
        int[] dims = Arrays.copyOf(new int[] {2, 3, 4, 5}, rank);
        int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        IdxArray a = IdxReader.read(write(dir, "r.idx", gzip(idx(IdxArray.Type.SHORT, dims, values))));
        assertEquals(rank, a.rank());
        assertArrayEquals(dims, a.dims());
        for (int i = 0; i < n; i++) {
            assertEquals(i, a.values()[i]);
        }
    }

    @Test
    void recognisesGzipByContentNotByName() {
        byte[] raw = idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {3}, 7, 8, 9);
        IdxArray fromGz = IdxReader.read(write(dir, "plain.idx", gzip(raw)));
        IdxArray fromRaw = IdxReader.read(write(dir, "named.gz", raw));
        assertEquals(fromGz, fromRaw);
        assertArrayEquals(new float[] {7, 8, 9}, fromRaw.values());
    }

    @Test
    void readsStreamsWithTheirName() {
        byte[] raw = idx(IdxArray.Type.FLOAT, new int[] {1, 2}, 0.25, 0.75);
        IdxArray a = IdxReader.read(new ByteArrayInputStream(gzip(raw)), "stream");
        assertArrayEquals(new float[] {0.25f, 0.75f}, a.values());
        DataFileException e = assertThrows(DataFileException.class,
                () -> IdxReader.read(new ByteArrayInputStream(new byte[0]), "resource:x.idx"));
        assertEquals("resource:x.idx", e.file());
    }

    @Test
    void readsDataLargerThanOneChunkAndTheInitialCapacity() {
        // 4.5 million elements: crosses many 64 KiB chunks and makes the value array grow.
        int n = 4_500_000;
        byte[] raw = new byte[8 + n];
        System.arraycopy(header(0x08, n), 0, raw, 0, 8);
        for (int i = 0; i < n; i++) {
            raw[8 + i] = (byte) (i % 251);
        }
        IdxArray a = IdxReader.read(write(dir, "big.idx.gz", gzip(raw)));
        assertEquals(n, a.values().length);
        for (int i : new int[] {0, 250, 251, 65535, 65536, 4_194_303, 4_194_304, n - 1}) {
            assertEquals(i % 251, a.values()[i], "element " + i);
        }
    }

    @Test
    void readsMultiByteTypesAcrossChunks() {
        int n = 50_000; // 400,000 bytes of doubles: several chunks
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i * 0.5 - 100;
        }
        IdxArray a = IdxReader.read(write(dir, "d.idx", idx(IdxArray.Type.DOUBLE, new int[] {n}, values)));
        for (int i = 0; i < n; i++) {
            assertEquals((float) values[i], a.values()[i]);
        }
    }

    // ---- bad files: each gives one clear line naming the file, expected and found ----

    private String problem(String name, byte[] content) {
        Path file = write(dir, name, content);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(file));
        assertEquals(file.toString(), e.file());
        assertEquals(file + ": " + e.problem(), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e.problem();
    }

    @Test
    void emptyFile() {
        assertEquals("empty file, expected an IDX header", problem("e.idx", new byte[0]));
        assertTrue(problem("e.gz", gzip(new byte[0])).contains("decompresses to nothing"));
    }

    @Test
    void tooShortForAHeader() {
        assertEquals("too short for an IDX file: file has 3 bytes, expected at least 4 (two zero bytes, "
                + "a type code and a rank)", problem("s.idx", new byte[] {0, 0, 8}));
    }

    @Test
    void badMagic() {
        assertEquals("not an IDX file: magic number 0x68656C6C, expected 0x0000 followed by a type code",
                problem("hello.txt", "hello world".getBytes()));
        // A file gzipped twice shows the inner gzip magic after one decompression.
        byte[] twice = gzip(gzip(idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {1}, 1)));
        assertTrue(problem("mnist.gz", twice).startsWith("not an IDX file: magic number 0x1F8B08"));
    }

    @Test
    void unknownTypeCode() {
        String p = problem("t.idx", concat(header(0x07, 1), new byte[] {1}));
        assertTrue(p.startsWith("unknown IDX type code 0x07 (magic number 0x00000701), expected one of "
                + "0x08 (unsigned byte), 0x09 (signed byte), 0x0B (short)"), p);
    }

    @Test
    void rankZero() {
        assertEquals("rank 0 (magic number 0x00000800), expected at least one dimension",
                problem("r.idx", new byte[] {0, 0, 8, 0, 1, 2}));
    }

    @Test
    void zeroOrNegativeDimension() {
        assertEquals("dimension 2 of 3 is 0 (dimensions 10 x 0 x 28), expected a positive size",
                problem("z.idx", header(0x08, 10, 0, 28)));
        assertEquals("dimension 1 of 1 is -5 (dimensions -5), expected a positive size",
                problem("n.idx", header(0x08, -5)));
    }

    @Test
    void tooManyElements() {
        assertEquals("too large: 65536 x 65536 x 3 = 12,884,901,888 elements, at most 2,147,483,639 fit in one array",
                problem("huge.idx", header(0x0D, 65536, 65536, 3)));
    }

    @Test
    void truncatedHeader() {
        byte[] h = header(0x08, 10000, 28, 28);
        assertEquals("truncated header: rank 3 needs 12 bytes of dimensions, file has 5",
                problem("h.idx", Arrays.copyOf(h, 9)));
    }

    @Test
    void truncatedData() {
        byte[] content = concat(header(0x08, 10000, 28, 28), new byte[1024]);
        assertEquals("truncated: header says 10000 x 28 x 28 unsigned bytes (7,840,000 bytes), "
                + "file has 1,024 bytes after the header", problem("images.idx", content));
        // A partial element counts too, and a gzipped file speaks of its decompressed size.
        byte[] floats = concat(header(0x0D, 4), new byte[6]);
        assertEquals("truncated: header says 4 floats (16 bytes), decompressed file has 6 bytes after the header",
                problem("f.gz", gzip(floats)));
    }

    @Test
    void trailingGarbage() {
        byte[] content = concat(idx(IdxArray.Type.SHORT, new int[] {2}, 1, 2), new byte[] {9, 9, 9});
        assertEquals("trailing garbage: header says 2 shorts (4 bytes), file has 3 more bytes after them",
                problem("g.idx", content));
    }

    @Test
    void corruptGzip() {
        byte[] gz = gzip(idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {100, 10}, new double[1000]));
        byte[] flipped = gz.clone();
        for (int i = 12; i < flipped.length - 8; i++) {
            flipped[i] ^= (byte) 0x5A;
        }
        assertTrue(problem("c.gz", flipped).startsWith("corrupt gzip data ("));
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 6] ^= 1;
        assertTrue(problem("crc.gz", badCrc).startsWith("corrupt gzip data ("));
    }

    @Test
    void truncatedGzip() {
        byte[] gz = gzip(idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {100, 10}, new double[1000]));
        String p = problem("t.gz", Arrays.copyOf(gz, gz.length - 4));
        assertTrue(p.startsWith("truncated gzip data: the compressed stream ends early"), p);
    }

    @Test
    void missingFileAndDirectory() {
        Path missing = dir.resolve("nope.idx");
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(missing));
        assertEquals(missing + ": file not found", e.getMessage());
        e = assertThrows(DataFileException.class, () -> IdxReader.read(dir));
        assertEquals(dir + ": is a directory, expected an IDX file", e.getMessage());
    }

    @Test
    void everyCutAndEveryFlipGivesADataFileExceptionOrAnArray() {
        // Whatever the damage, never an index, arithmetic or raw I/O exception.
        byte[] raw = idx(IdxArray.Type.INT, new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        for (byte[] good : new byte[][] {raw, gzip(raw)}) {
            for (int len = 0; len < good.length; len++) {
                byte[] cut = Arrays.copyOf(good, len);
                assertThrows(DataFileException.class, () -> IdxReader.read(new ByteArrayInputStream(cut), "cut"),
                        "cut at " + len);
            }
            Random random = new Random(42);
            for (int trial = 0; trial < 500; trial++) {
                byte[] bad = good.clone();
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                try {
                    IdxReader.read(new ByteArrayInputStream(bad), "flip");
                } catch (DataFileException expected) {
                    // fine: reported as a bad file
                }
            }
        }
    }
}
