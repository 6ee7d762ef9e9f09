package dev.latent.runtime.model.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A zip file read defensively: every entry name is checked against an allow-list before any
 * entry is read, and every entry is read through a hard limit on the bytes it may inflate to, so
 * neither a name nor a size announced by the file can make the reader do or hold more than its
 * caller allowed.
 */
final class BoundedZip implements AutoCloseable {
    /** More entries than any Latent file holds (a SameDiff checkpoint of a deep network holds a few hundred). */
    static final int MAX_ENTRIES = 10_000;

    private final Path path;
    private final ZipFile zip;
    private final Map<String, ZipEntry> entries;

    private BoundedZip(Path path, ZipFile zip, Map<String, ZipEntry> entries) {
        this.path = path;
        this.zip = zip;
        this.entries = entries;
    }

    /**
     * Opens {@code path} and lists its entries, reading none of them.
     *
     * @throws ModelFileException if the file is missing, not a zip, holds too many entries, or the
     *     same name twice
     */
    static BoundedZip open(Path path) {
        if (!Files.exists(path)) {
            throw new ModelFileException(path, "no such file");
        }
        if (Files.isDirectory(path)) {
            throw new ModelFileException(path, "is a directory, expected a model file written by Denoiser.save");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new ModelFileException(path, isEmpty(path)
                    ? "empty file, expected a model zip written by Denoiser.save"
                    : "not a model file: not a zip archive, or a truncated one (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFileException(path, "cannot read: " + e.getMessage(), e);
        }
        try {
            if (zip.size() > MAX_ENTRIES) {
                throw new ModelFileException(path, "holds " + zip.size() + " entries, more than the " + MAX_ENTRIES
                        + " a Latent model may hold; not a file Latent wrote");
            }
            Map<String, ZipEntry> entries = new LinkedHashMap<>();
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (entries.put(name, entry) != null) {
                    throw new ModelFileException(path, "holds the entry " + name + " twice; not a file Latent wrote");
                }
            }
            return new BoundedZip(path, zip, entries);
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    /** The names of the entries, in the file's order. */
    Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    boolean has(String name) {
        return entries.containsKey(name);
    }

    /**
     * The bytes of entry {@code name}, or null when absent; reading stops at {@code limit} bytes.
     *
     * @throws ModelFileException if it inflates to more than {@code limit} bytes or cannot be read
     */
    byte[] bytes(String name, long limit) {
        ZipEntry entry = entries.get(name);
        if (entry == null) {
            return null;
        }
        if (entry.getSize() > limit) {
            throw tooLarge(name, limit);
        }
        try (InputStream in = open(name, limit)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(entry.getSize(), 0), 1 << 16));
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    /**
     * A stream of entry {@code name} that fails once more than {@code limit} bytes come out of it,
     * whatever size the entry announces.
     */
    InputStream open(String name, long limit) throws IOException {
        ZipEntry entry = entries.get(name);
        if (entry.getSize() > limit) {
            throw tooLarge(name, limit);
        }
        return new LimitedInputStream(zip.getInputStream(entry), limit, () -> tooLarge(name, limit));
    }

    ModelFileException unreadable(String name, IOException e) {
        if (e instanceof LimitedInputStream.LimitExceeded exceeded) {
            return exceeded.problem();
        }
        return new ModelFileException(path, "cannot read the entry " + name + " (" + e.getMessage()
                + "); the file is damaged or truncated, save the model again", e);
    }

    ModelFileException problem(String problem) {
        return new ModelFileException(path, problem);
    }

    private ModelFileException tooLarge(String name, long limit) {
        return new ModelFileException(path, "the entry " + name + " inflates to more than " + limit
                + " bytes, more than a Latent model of its size holds; not a file Latent wrote");
    }

    @Override
    public void close() {
        closeQuietly(zip);
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // Only read from: nothing is lost.
        }
    }

    private static boolean isEmpty(Path file) {
        try {
            return Files.size(file) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    // A hostile name may hold control characters; the message stays one readable line.
    static String printable(String name) {
        StringBuilder s = new StringBuilder();
        name.codePoints().limit(120).forEach(c -> s.append(Character.isISOControl(c) ? "?" : Character.toString(c)));
        return name.length() > 120 ? s + "..." : s.toString();
    }
}
