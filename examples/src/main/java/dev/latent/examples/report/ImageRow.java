package dev.latent.examples.report;

import java.util.List;
import java.util.Objects;

/**
 * One labelled row of images for {@link ImageGrid#write}: for example a model's clean
 * inputs, their noisy copies, or its reconstructions.
 *
 * <p>Each image is a flat array in Keras order: height, then width, then channels, row-major with
 * the channels last, so the value of pixel {@code (y, x)} in channel {@code c} is at
 * {@code (y * width + x) * channels + c}. Values are intensities in {@code [0, 1]}; the grid clamps
 * anything outside that range and draws {@code NaN} as 0, because a diverged model's output
 * should still render rather than abort the report.
 *
 * <p>The list is copied (so later changes to it do not reach the grid); the arrays are not.
 *
 * @param label the row's name, drawn at its left; never null
 * @param images the images, each of length {@code height * width * channels}; no nulls
 * @param height each image's height in pixels, at least 1
 * @param width each image's width in pixels, at least 1
 * @param channels 1 for grayscale or 3 for RGB
 */
public record ImageRow(String label, List<float[]> images, int height, int width, int channels) {

    /**
     * Checks the shape here, where a caller's mistake is made, rather than when the grid is drawn.
     *
     * @throws IllegalArgumentException if a dimension is not positive, the channel count is
     *     neither 1 nor 3, or an image's length does not match the shape
     * @throws NullPointerException if the label, the list or one of its images is null
     */
    public ImageRow {
        Objects.requireNonNull(label, "label");
        images = List.copyOf(Objects.requireNonNull(images, "images"));
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "image size must be positive, got " + height + "x" + width);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        long expected = (long) height * width * channels;
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).length != expected) {
                throw new IllegalArgumentException("image " + i + " of row '" + label + "' has "
                        + images.get(i).length + " values, expected " + height + "x" + width + "x"
                        + channels + " = " + expected);
            }
        }
    }

    /**
     * A row of a batch in the engine's layout ({@code [n, C, H, W]}, or {@code [n, N]} drawn as one
     * line of pixels), as Keras-order float arrays. Images of 2 or more than 3 channels show their
     * first channel, which the label then says.
     */
    public static ImageRow of(String label, org.nd4j.linalg.api.ndarray.INDArray batch, dev.latent.runtime.settings.Shape shape) {
        org.nd4j.linalg.api.ndarray.INDArray keras = shape.isImage() ? batch.permute(0, 2, 3, 1).dup('c') : batch.dup('c');
        int h = shape.isImage() ? shape.dim(0) : 1;
        int w = shape.isImage() ? shape.dim(1) : (int) shape.size();
        int c = shape.isImage() ? shape.dim(2) : 1;
        boolean firstChannel = c != 1 && c != 3;
        if (firstChannel) {
            keras = keras.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1))
                    .dup('c');
        }
        List<float[]> images = new java.util.ArrayList<>();
        for (int i = 0; i < keras.size(0); i++) {
            images.add(keras.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup('c').data().asFloat());
        }
        return new ImageRow(firstChannel ? label + " (ch. 1)" : label, images, h, w, firstChannel ? 1 : c);
    }
}
