package dev.latent.runtime.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of the MNIST files (http://yann.lecun.com/exdb/mnist/): two zero bytes,
 * a type code, a rank, {@code rank} big-endian int32 sizes, then the elements, big-endian and
 * row-major. Gzipped files are recognised by their magic bytes {@code 1f 8b}, not by their name.
 *
 * <p>Every problem with the content (empty, wrong magic, unknown type, bad sizes, truncated,
 * trailing bytes, corrupt gzip) and every I/O failure is reported as a {@link DataFileException}
 * whose message names the file and says what was expected and found.
 */
public final class IdxReader {
    /** The most elements one Java array holds; the VM refuses arrays of quite Integer.MAX_VALUE. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    // A multiple of every element size, so a full chunk never splits an element.
    private static final int CHUNK = 1 << 16;
    // The header's count is not trusted with memory: the value array grows as data arrives.
    private static final int INITIAL_CAPACITY = 1 << 22;
    private static final int[] GZIP_MAGIC = {0x1f, 0x8b};

    private IdxReader() {}

    /**
     * Reads an IDX file, raw or gzipped.
     *
     * @param file the file; messages name it as given
     * @throws DataFileException if the file is missing, unreadable, or not a valid IDX file
     */
    public static IdxArray read(Path file) {
        String name = DataFileException.fileName(file, "an IDX file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, name);
        } catch (IOException e) {
            throw DataFileException.reading(name, e);
        }
    }

    /**
     * Reads IDX data, raw or gzipped, from {@code in} up to its end. The stream is not closed.
     *
     * @param name what messages call the stream, e.g. a resource name
     * @throws DataFileException if the stream cannot be read or does not hold valid IDX data
     */
    public static IdxArray read(InputStream in, String name) {
        try {
            return parse(in, name);
        } catch (ZipException e) {
            throw new DataFileException(name, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            // GZIPInputStream's only EOFException: the compressed stream stops mid-way.
            throw new DataFileException(name, "truncated gzip data: the compressed stream ends early ("
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataFileException(name, "cannot read: " + e.getMessage(), e);
        }
    }

    private static IdxArray parse(InputStream raw, String name) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, CHUNK);
        buffered.mark(GZIP_MAGIC.length);
        boolean gzip = buffered.read() == GZIP_MAGIC[0] && buffered.read() == GZIP_MAGIC[1];
        buffered.reset();
        InputStream in = gzip ? new GZIPInputStream(buffered, CHUNK) : buffered;
        String file = gzip ? "decompressed file" : "file";

        Header header = readHeader(in, name, gzip);
        int[] dims = header.dims();
        IdxArray.Type type = header.type();
        long elements = countElements(name, dims);
        float[] values = readValues(in, name, type, dims, elements, file);
        return new IdxArray(dims, type, values);
    }

    /** An IDX file's element type and dimensions. */
    record Header(IdxArray.Type type, int[] dims) {}

    /** Reads and checks the header, leaving {@code in} at the first element. */
    static Header readHeader(InputStream in, String name, boolean gzip) throws IOException {
        String file = gzip ? "decompressed file" : "file";
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, magic.length);
        if (got == 0) {
            throw new DataFileException(name, gzip ? "empty: the gzip stream decompresses to nothing"
                    : "empty file, expected an IDX header");
        }
        if (got < magic.length) {
            throw new DataFileException(name, "too short for an IDX file: " + file + " has " + got
                    + " bytes, expected at least 4 (two zero bytes, a type code and a rank)");
        }
        String magicText = String.format(Locale.ROOT, "0x%08X", ByteBuffer.wrap(magic).getInt());
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataFileException(name, "not an IDX file: magic number " + magicText
                    + ", expected 0x0000 followed by a type code");
        }
        IdxArray.Type type = IdxArray.Type.ofCode(magic[2] & 0xFF);
        if (type == null) {
            throw new DataFileException(name, String.format(Locale.ROOT,
                    "unknown IDX type code 0x%02X (magic number %s), expected one of %s",
                    magic[2] & 0xFF, magicText, IdxArray.Type.catalogue()));
        }
        int rank = magic[3] & 0xFF;
        if (rank == 0) {
            throw new DataFileException(name, "rank 0 (magic number " + magicText
                    + "), expected at least one dimension");
        }
        return new Header(type, readDims(in, name, rank, file));
    }

    private static int[] readDims(InputStream in, String name, int rank, String file) throws IOException {
        byte[] header = new byte[4 * rank];
        int got = in.readNBytes(header, 0, header.length);
        if (got < header.length) {
            throw new DataFileException(name, "truncated header: rank " + rank + " needs " + header.length
                    + " bytes of dimensions, " + file + " has " + got);
        }
        int[] dims = new int[rank];
        ByteBuffer.wrap(header).asIntBuffer().get(dims);
        for (int i = 0; i < rank; i++) {
            if (dims[i] <= 0) {
                throw new DataFileException(name, "dimension " + (i + 1) + " of " + rank + " is " + dims[i]
                        + " (dimensions " + IdxArray.dimsText(dims) + "), expected a positive size");
            }
        }
        return dims;
    }

    private static long countElements(String name, int[] dims) {
        long n = 1;
        for (int d : dims) {
            // n <= MAX_ELEMENTS < 2^31 and d < 2^31, so the product cannot overflow a long.
            n *= d;
            if (n > MAX_ELEMENTS) {
                BigInteger total = Arrays.stream(dims).mapToObj(BigInteger::valueOf)
                        .reduce(BigInteger.ONE, BigInteger::multiply);
                throw new DataFileException(name, String.format(Locale.ROOT,
                        "too large: %s = %,d elements, at most %,d fit in one array",
                        IdxArray.dimsText(dims), total, MAX_ELEMENTS));
            }
        }
        return n;
    }

    private static float[] readValues(InputStream in, String name, IdxArray.Type type, int[] dims,
            long elements, String file) throws IOException {
        int size = type.bytes();
        byte[] chunk = new byte[CHUNK];
        float[] values = new float[(int) Math.min(elements, INITIAL_CAPACITY)];
        int done = 0;
        while (done < elements) {
            int want = (int) Math.min(CHUNK / size, elements - done) * size;
            int got = in.readNBytes(chunk, 0, want);
            int whole = got / size;
            if (done + whole > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(elements, 2L * (done + whole)));
            }
            decode(type, chunk, whole, values, done);
            done += whole;
            if (got < want) {
                long found = (long) done * size + got % size;
                throw new DataFileException(name, String.format(Locale.ROOT,
                        "truncated: header says %s (%,d bytes), %s has %,d bytes after the header",
                        announced(type, dims, elements), elements * size, file, found));
            }
        }
        long extra = skipToEnd(in, chunk);
        if (extra > 0) {
            throw new DataFileException(name, String.format(Locale.ROOT,
                    "trailing garbage: header says %s (%,d bytes), %s has %,d more bytes after them",
                    announced(type, dims, elements), elements * size, file, extra));
        }
        return values;
    }

    static void decode(IdxArray.Type type, byte[] bytes, int count, float[] out, int offset) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        switch (type) {
            case UNSIGNED_BYTE -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = bytes[i] & 0xFF;
                }
            }
            case BYTE -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = bytes[i];
                }
            }
            case SHORT -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = buf.getShort(2 * i);
                }
            }
            case INT -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = buf.getInt(4 * i);
                }
            }
            case FLOAT -> buf.asFloatBuffer().get(out, offset, count);
            case DOUBLE -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) buf.getDouble(8 * i);
                }
            }
        }
    }

    private static long skipToEnd(InputStream in, byte[] scratch) throws IOException {
        long total = 0;
        for (int n; (n = in.read(scratch)) != -1; ) {
            total += n;
        }
        return total;
    }

    private static String announced(IdxArray.Type type, int[] dims, long elements) {
        return IdxArray.dimsText(dims) + " " + type.label() + (elements == 1 ? "" : "s");
    }
}
