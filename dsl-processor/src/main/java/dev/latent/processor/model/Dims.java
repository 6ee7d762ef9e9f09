package dev.latent.processor.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A tensor shape per sample, in Keras order: {@code {H, W, C}}, {@code {T, F}} or {@code {N}}. Immutable.
 * Deliberately the processor's own counterpart of the runtime's {@code Shape}: the processor must
 * not depend on the runtime.
 */
public final class Dims {
    private final int[] sizes;

    private Dims(int[] sizes) {
        this.sizes = sizes.clone();
    }

    /** A shape from its sizes, in Keras order. */
    public static Dims of(int... sizes) {
        return new Dims(sizes);
    }

    public int rank() {
        return sizes.length;
    }

    public int get(int i) {
        return sizes[i];
    }

    public int[] toArray() {
        return sizes.clone();
    }

    /** Whether this is an image {@code {H, W, C}}. */
    public boolean isImage() {
        return sizes.length == 3;
    }

    /** Whether this is a vector {@code {N}}. */
    public boolean isVector() {
        return sizes.length == 1;
    }

    /** Whether this is a sequence {@code {T, F}}: T time steps of F features. */
    public boolean isSequence() {
        return sizes.length == 2;
    }

    /** A sequence's time steps T. */
    public int steps() {
        return sizes[0];
    }

    /** A sequence's features per step F. */
    public int features() {
        return sizes[1];
    }

    /** What this shape is, for messages: {@code the image {28, 28, 1}}. */
    public String describe() {
        return (isImage() ? "the image " : isSequence() ? "the sequence " : "the vector ") + this;
    }

    public int height() {
        return sizes[0];
    }

    public int width() {
        return sizes[1];
    }

    public int channels() {
        return sizes[2];
    }

    /** Number of values per sample; {@code Long.MAX_VALUE} when it would pass it (see {@link Counts}). */
    public long count() {
        return Counts.product(Arrays.stream(sizes).asLongStream().toArray());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dims other && Arrays.equals(sizes, other.sizes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes);
    }

    /** As the user writes it: {@code {28, 28, 1}}. */
    @Override
    public String toString() {
        return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(", ", "{", "}"));
    }
}
