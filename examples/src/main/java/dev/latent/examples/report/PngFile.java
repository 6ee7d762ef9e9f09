package dev.latent.examples.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes the report's pictures as PNG files, atomically: the PNG is encoded in memory, written to a
 * temporary file beside the target, forced to disk and then moved over the target, so a crash
 * leaves either the old file or the new one, never half of one.
 */
final class PngFile {

    private PngFile() {
    }

    /**
     * Encodes the image as PNG in memory, then writes it to a fresh file beside the target, forces
     * it to disk and moves it over the target, so that readers and crashes see the old file or
     * the whole new one. The temporary file is removed if anything fails.
     */
    static void write(BufferedImage image, Path png) throws IOException {
        Path target = png.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        byte[] bytes = encode(image);

        // Not Files.createTempFile: on POSIX it makes the file owner-only (0600), and the move
        // would give the report that mode instead of the usual umask-based one.
        Path temp = null;
        FileChannel channel = null;
        for (int attempt = 0; channel == null; attempt++) {
            temp = dir.resolve("." + target.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException taken) {
                if (attempt >= 10) {
                    throw taken;
                }
            }
        }
        boolean moved = false;
        try {
            try (FileChannel out = channel) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException notAtomic) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The original failure is the one worth reporting; a stray temp file is not.
                }
            }
        }
    }

    /**
     * PNG bytes of the image. Uses an in-memory stream so that ImageIO's disk cache (a global
     * setting, and a temp directory that may not be writable) is not involved.
     */
    private static byte[] encode(BufferedImage image) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("this JDK has no PNG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(image);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
