package dev.latent.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes float32 {@code .npy} files as np.save does, chunk by chunk, so a test can make one larger than its heap. */
public final class NpyFiles {
    private NpyFiles() {}

    /**
     * Writes {@code [copies * n, dims...]} float32: the {@code n} samples of {@code samples}
     * ({@code n * prod(dims)} values) repeated {@code copies} times.
     *
     * @return the file's size in bytes
     */
    public static long writeRepeated(Path file, float[] samples, int copies, int... dims) {
        int size = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        int n = samples.length / size;
        String shape = "(" + (long) copies * n + ", " + Arrays.stream(dims).mapToObj(Integer::toString)
                .collect(Collectors.joining(", ")) + ")";
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        // Version 1: magic, version, a little-endian header length, the dictionary padded to 64 bytes.
        int padded = (10 + dict.length() + 1 + 63) / 64 * 64 - 10;
        String header = dict + " ".repeat(padded - dict.length() - 1) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) padded)
                .put(header.getBytes(StandardCharsets.ISO_8859_1)).flip();
        ByteBuffer copy = ByteBuffer.allocate(samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        copy.asFloatBuffer().put(samples);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(out, head);
            for (int c = 0; c < copies; c++) {
                writeAll(out, copy.rewind());
            }
            return out.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAll(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }
}
