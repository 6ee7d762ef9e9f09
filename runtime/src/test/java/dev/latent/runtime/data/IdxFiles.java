package dev.latent.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files byte by byte, so that tests control every header field. */
final class IdxFiles {
    private IdxFiles() {}

    /** A header: two zero bytes, the type code, the rank and the dimensions. */
    static byte[] header(int typeCode, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    /** A whole file: header, then {@code values} encoded as {@code type}, big-endian. */
    static byte[] idx(IdxArray.Type type, int[] dims, double... values) {
        byte[] head = header(type.code(), dims);
        ByteBuffer b = ByteBuffer.allocate(head.length + values.length * type.bytes());
        b.put(head);
        for (double v : values) {
            switch (type) {
                case UNSIGNED_BYTE, BYTE -> b.put((byte) (int) v);
                case SHORT -> b.putShort((short) v);
                case INT -> b.putInt((int) v);
                case FLOAT -> b.putFloat((float) v);
                case DOUBLE -> b.putDouble(v);
            }
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
