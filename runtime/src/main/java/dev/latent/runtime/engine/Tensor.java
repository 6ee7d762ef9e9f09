package dev.latent.runtime.engine;

import java.util.function.Supplier;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Values passed between {@link Executor}'s stages: an activation or a gradient, either
 * plain (row-major, NCHW for images) or in a layout oneDNN chose, such as channels in blocks of
 * 16. A convolution hands the next one its result in its own layout, so the reorders to NCHW and
 * back that every layer paid (0.6 to 1.1 ms each on the seed's conv model) happen only where a
 * stage needs plain values: a flatten, a dense layer, the loss.
 *
 * <p>The values stay valid until their producer's next call.
 */
final class Tensor {
    private final INDArray values;
    private final dnnl_memory_desc_t layout;
    private final long[] shape;
    private final Supplier<INDArray> toPlain;
    private final Tensor image;

    private Tensor(INDArray values, dnnl_memory_desc_t layout, long[] shape, Supplier<INDArray> toPlain, Tensor image) {
        this.values = values;
        this.layout = layout;
        this.shape = shape;
        this.toPlain = toPlain;
        this.image = image;
    }

    /** Plain values: the array itself, row-major. */
    static Tensor plain(INDArray values) {
        return new Tensor(values, null, values.shape(), null, null);
    }

    /**
     * Values of {@code shape} stored in {@code storage} in oneDNN's {@code layout};
     * {@code toPlain} copies them into a plain array when a stage asks.
     */
    static Tensor laidOut(INDArray storage, dnnl_memory_desc_t layout, long[] shape, Supplier<INDArray> toPlain) {
        return new Tensor(storage, layout, shape, toPlain, null);
    }

    /**
     * A sequence {@code [n, F, T]} whose values are the image {@code image} of shape
     * {@code [n, F, 1, T]} in oneDNN's layout: the 1-D stages pass it on to each other as it is,
     * and any other stage sees plain values, reshaped on request.
     */
    static Tensor sequenceOf(Tensor image, long[] shape) {
        return new Tensor(null, null, shape, () -> image.plain().reshape('c', shape), image);
    }

    /** The image this sequence's values are, or null for values of their own. */
    Tensor image() {
        return image;
    }

    /** The values in the plain row-major layout, copied into one if they are in another. */
    INDArray plain() {
        return layout == null && image == null ? values : toPlain.get();
    }

    /** The storage: plain values, or the bytes of oneDNN's layout. */
    INDArray storage() {
        return image == null ? values : plain();
    }

    /** oneDNN's layout of {@link #storage()}, or null when plain. */
    dnnl_memory_desc_t layout() {
        return layout;
    }

    long[] shape() {
        return shape;
    }
}
