package dev.latent.runtime.model.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Test helpers that take model zips apart and put hostile ones together. */
public final class ZipFiles {
    /** One past 1 GiB: what a bomb entry inflates to. */
    public static final long BOMB_BYTES = (1L << 30) + 1;

    private ZipFiles() {}

    /** Every entry of a trusted zip, in order. */
    public static Map<String, byte[]> entries(Path zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                try (InputStream in = file.getInputStream(entry)) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** A zip of {@code entries}, in order. */
    public static Path write(Path zip, Map<String, byte[]> entries) {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip;
    }

    /** A copy of {@code entries} with {@code name} set to {@code bytes} (added when absent). */
    public static Map<String, byte[]> with(Map<String, byte[]> entries, String name, byte[] bytes) {
        Map<String, byte[]> copy = new LinkedHashMap<>(entries);
        copy.put(name, bytes);
        return copy;
    }

    /** Java's serialized form of {@code object}. */
    public static byte[] serialized(Object object) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A zip of {@code entries} plus {@code bomb}, an entry of {@link #BOMB_BYTES} zeros (about a
     * megabyte compressed). With {@code lie}, the central directory announces 100 bytes for it, so
     * only a reader that counts what it inflates stops in time.
     */
    public static Path withBomb(Path zip, Map<String, byte[]> entries, String bomb, boolean lie) {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.setLevel(Deflater.BEST_COMPRESSION);
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                if (!entry.getKey().equals(bomb)) {
                    out.putNextEntry(new ZipEntry(entry.getKey()));
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
            out.putNextEntry(new ZipEntry(bomb));
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < BOMB_BYTES; written += zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, BOMB_BYTES - written));
            }
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (lie) {
            announceSize(zip, bomb, 100);
        }
        return zip;
    }

    // Rewrites the uncompressed size of entry {@code name} in the central directory.
    private static void announceSize(Path zip, String name, int size) {
        try {
            byte[] bytes = Files.readAllBytes(zip);
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            byte[] nameBytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            boolean found = false;
            for (int i = 0; i + 46 < bytes.length; i++) {
                if (buffer.getInt(i) == 0x02014b50 && (buffer.getShort(i + 28) & 0xFFFF) == nameBytes.length
                        && java.util.Arrays.equals(bytes, i + 46, i + 46 + nameBytes.length, nameBytes, 0, nameBytes.length)) {
                    buffer.putInt(i + 24, size);
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalStateException("no central directory entry " + name);
            }
            try (OutputStream out = Files.newOutputStream(zip)) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
