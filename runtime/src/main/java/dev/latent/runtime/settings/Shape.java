package dev.latent.runtime.settings;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The shape of one sample, in Keras order: {@code {H, W, C}} for an image, {@code {T, F}} for a
 * sequence of T steps of F features, {@code {N}} for a vector. Immutable. The engine keeps images
 * channels-first ({@code [batch, C, H, W]}) and sequences features-first ({@code [batch, F, T]},
 * DL4J's recurrent layout); see {@link #batchShape(long)}.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        if (dims.length == 0) {
            throw new IllegalArgumentException("a shape needs at least one dimension");
        }
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("every dimension must be positive: " + Arrays.toString(dims));
            }
        }
        this.dims = dims.clone();
    }

    /** A shape from its sizes in Keras order. */
    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    /** Number of dimensions: 1 for a vector, 2 for a sequence, 3 for an image. */
    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code i}, in Keras order. */
    public int dim(int i) {
        return dims[i];
    }

    /** A copy of the sizes, in Keras order. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements of one sample. */
    public long size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Whether this is an {@code {H, W, C}} image shape. */
    public boolean isImage() {
        return dims.length == 3;
    }

    /** Whether this is a {@code {T, F}} sequence shape. */
    public boolean isSequence() {
        return dims.length == 2;
    }

    /**
     * The engine's array shape for {@code batch} samples: {@code [batch, C, H, W]} for an image,
     * {@code [batch, F, T]} for a sequence (DL4J's recurrent NCW layout), {@code [batch, N]} for a
     * vector.
     */
    public long[] batchShape(long batch) {
        if (isImage()) {
            return new long[] {batch, dims[2], dims[0], dims[1]};
        }
        if (isSequence()) {
            return new long[] {batch, dims[1], dims[0]};
        }
        long[] shape = new long[dims.length + 1];
        shape[0] = batch;
        for (int i = 0; i < dims.length; i++) {
            shape[i + 1] = dims[i];
        }
        return shape;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** As written in an annotation: {@code {28, 28, 1}}. */
    @Override
    public String toString() {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(", ", "{", "}"));
    }
}
