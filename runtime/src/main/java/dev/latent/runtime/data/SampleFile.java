package dev.latent.runtime.data;

import dev.latent.runtime.settings.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * A raw (uncompressed) IDX or {@code .npy} file read a block of samples at a time, by position,
 * so that no more than a block is ever in memory. Only the header is read when it is opened; the
 * file's size is checked against it then, so a truncated file fails before training starts.
 */
final class SampleFile {
    private static final int[] GZIP_MAGIC = {0x1f, 0x8b};

    private final Path path;
    private final String name;
    private final int count;
    private final Shape sampleShape;
    private final boolean pixels;
    private final long dataOffset;
    private final int elementBytes;
    private final Decoder decoder;

    /** Widens {@code count} elements of {@code bytes} (from its position) into {@code out} at {@code offset}. */
    private interface Decoder {
        void decode(ByteBuffer bytes, int count, float[] out, int offset);
    }

    private SampleFile(Path path, int[] dims, boolean pixels, long dataOffset, int elementBytes, Decoder decoder) {
        this.path = path;
        this.name = path.toString();
        this.count = dims[0];
        this.sampleShape = Datasets.sampleShape(dims, name);
        this.pixels = pixels;
        this.dataOffset = dataOffset;
        this.elementBytes = elementBytes;
        this.decoder = decoder;
    }

    /**
     * Opens {@code path}: a {@code .npy} file by its name, anything else as IDX.
     *
     * @throws DataFileException if the file is missing, gzipped, not valid, or its size does not
     *     match its header
     */
    static SampleFile open(Path path) {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new DataFileException(name, "is a directory; only a raw IDX or .npy file can be streamed");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer start = ByteBuffer.allocate(2);
            channel.read(start, 0);
            if (start.position() == 2 && (start.get(0) & 0xFF) == GZIP_MAGIC[0] && (start.get(1) & 0xFF) == GZIP_MAGIC[1]) {
                throw new DataFileException(name, "is gzipped, and a compressed file cannot be read by position; "
                        + "gunzip it first (gunzip -k " + name + ") and stream the raw file");
            }
            return Datasets.fileName(path).toLowerCase(Locale.ROOT).endsWith(".npy")
                    ? openNpy(path, channel)
                    : openIdx(path, channel);
        } catch (IOException e) {
            throw DataFileException.reading(name, e);
        }
    }

    private static SampleFile openNpy(Path path, FileChannel channel) throws IOException {
        NpyReader.Header header = NpyReader.header(channel, path.toString());
        NpyReader.Type type = header.type();
        return new SampleFile(path, header.dims(), type == NpyReader.Type.U1, header.dataOffset(), type.bytes,
                (bytes, n, out, offset) -> {
                    bytes.order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        out[offset + i] = type.decode(bytes);
                    }
                });
    }

    private static SampleFile openIdx(Path path, FileChannel channel) throws IOException {
        String name = path.toString();
        channel.position(0);
        // Unbuffered: the header is a few bytes, and the channel's position must end at its end.
        InputStream in = Channels.newInputStream(channel);
        IdxReader.Header header = IdxReader.readHeader(in, name, false);
        IdxArray.Type type = header.type();
        long dataOffset = 4L + 4L * header.dims().length;
        long elements = 1;
        for (int d : header.dims()) {
            elements = Math.multiplyExact(elements, d);
        }
        long expected = elements * type.bytes();
        long found = channel.size() - dataOffset;
        if (found != expected) {
            throw new DataFileException(name, String.format(Locale.ROOT,
                    "%s: header says %s %ss (%,d bytes), the file has %,d bytes after the header",
                    found < expected ? "truncated" : "trailing garbage", IdxArray.dimsText(header.dims()),
                    type.label(), expected, found));
        }
        return new SampleFile(path, header.dims(), type == IdxArray.Type.UNSIGNED_BYTE, dataOffset, type.bytes(),
                (bytes, n, out, offset) -> IdxReader.decode(type, bytes.array(), n, out, offset));
    }

    /** Number of samples in the file. */
    int count() {
        return count;
    }

    /** Shape of one sample as the file lays it out (Keras order). */
    Shape sampleShape() {
        return sampleShape;
    }

    /** Bytes one sample takes in the file. */
    long sampleBytes() {
        return sampleShape.size() * elementBytes;
    }

    /** The file as messages name it. */
    String name() {
        return name;
    }

    /**
     * Samples {@code from} (inclusive) to {@code to} (exclusive), as the file holds them.
     *
     * @throws DataFileException if the file cannot be read, has shrunk, or holds a value that is not finite
     */
    Samples read(int from, int to) {
        if (from < 0 || to > count || from >= to) {
            throw new IllegalArgumentException("cannot read samples [" + from + ", " + to + ") of " + count);
        }
        int size = (int) sampleShape.size();
        int n = to - from;
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(n, size * elementBytes));
        long position = dataOffset + from * sampleBytes();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, position + bytes.position()) < 0) {
                    throw new DataFileException(name, String.format(Locale.ROOT,
                            "truncated: the file ended at byte %,d while samples %,d to %,d were read; "
                                    + "did it change during training?", position + bytes.position(), from + 1, to));
                }
            }
        } catch (IOException e) {
            throw DataFileException.reading(name, e);
        }
        bytes.flip();
        float[] values = new float[n * size];
        decoder.decode(bytes, values.length, values, 0);
        // Here rather than in Samples.of, which numbers samples from the block's start, not the file's.
        int bad = Samples.firstNonFinite(values);
        if (bad >= 0) {
            throw Samples.notFinite(name, values, bad, from, sampleShape);
        }
        return Samples.of(values, n, sampleShape, pixels, name, String.format(Locale.ROOT,
                "%s samples [%,d, %,d)", Datasets.fileName(path), from, to));
    }
}
