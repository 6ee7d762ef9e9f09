package dev.latent.runtime.data;

import dev.latent.runtime.settings.Shape;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads a folder of PNG and JPEG images (not its subfolders), in file-name order, each resized to
 * the model's {@code {H, W, C}} with bilinear interpolation, transparent parts on black, and turned
 * into gray ({@code C = 1}, ITU-R 601 luma) or RGB ({@code C = 3}). Values stay pixels 0..255.
 *
 * <p>{@code javax.imageio} rather than DataVec's {@code NativeImageLoader}: the JDK reads PNG and
 * JPEG already, and DataVec's loader would add OpenCV's native libraries (hundreds of megabytes
 * over all platforms) to every user of the runtime.
 */
final class ImageFolderReader {
    private ImageFolderReader() {}

    static Samples read(Path folder, Shape shape) {
        String name = folder.toString();
        if (!shape.isImage() || (shape.dim(2) != 1 && shape.dim(2) != 3)) {
            throw new DataFileException(name, "a folder of images needs a model that takes images {H, W, 1} or "
                    + "{H, W, 3}; this one takes " + shape);
        }
        List<Path> files = imageFiles(folder);
        int h = shape.dim(0);
        int w = shape.dim(1);
        int c = shape.dim(2);
        float[] values = new float[Math.multiplyExact(files.size(), h * w * c)];
        int at = 0;
        for (Path file : files) {
            BufferedImage image = decode(file);
            BufferedImage resized = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = resized.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(image, 0, 0, w, h, Color.BLACK, null);
            } finally {
                g.dispose();
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = resized.getRGB(x, y);
                    int r = (rgb >> 16) & 0xFF;
                    int gr = (rgb >> 8) & 0xFF;
                    int b = rgb & 0xFF;
                    if (c == 1) {
                        values[at++] = Math.round(0.299f * r + 0.587f * gr + 0.114f * b);
                    } else {
                        values[at++] = r;
                        values[at++] = gr;
                        values[at++] = b;
                    }
                }
            }
        }
        String description = String.format(Locale.ROOT, "%s (%,d images resized to %dx%dx%d)",
                folder.getFileName() == null ? name : folder.getFileName(), files.size(), h, w, c);
        return Samples.of(values, files.size(), shape, true, name, description);
    }

    private static List<Path> imageFiles(Path folder) {
        String name = folder.toString();
        if (!Files.isDirectory(folder)) {
            throw new DataFileException(name, Files.exists(folder) ? "not a folder" : "folder not found");
        }
        List<Path> all;
        try (Stream<Path> entries = Files.list(folder)) {
            all = entries.filter(Files::isRegularFile).sorted().toList();
        } catch (NoSuchFileException e) {
            throw new DataFileException(name, "folder not found", e);
        } catch (IOException e) {
            throw new DataFileException(name, "cannot list the folder: " + e.getMessage(), e);
        }
        List<Path> images = all.stream().filter(ImageFolderReader::isImageName).toList();
        if (images.isEmpty()) {
            throw new DataFileException(name, all.isEmpty()
                    ? "empty folder, expected PNG or JPEG images"
                    : "no PNG or JPEG images (.png, .jpg, .jpeg) among its " + all.size() + " files");
        }
        return images;
    }

    private static boolean isImageName(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    private static BufferedImage decode(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            // ImageIO reports corrupt data as IIOException, and some decoders as runtime exceptions.
            throw new DataFileException(file.toString(), "not a readable PNG or JPEG image (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new DataFileException(file.toString(), "not a PNG or JPEG image: no image reader recognises it");
        }
        return image;
    }
}
