package dev.latent.runtime.data;

import dev.latent.runtime.settings.Shape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between Keras' sample order (an image walks H, then W, then C; a sequence T, then F)
 * and the engine's
 * layout ({@link Shape#batchShape}), in one place so that readers, data sets and scalings agree.
 */
final class Layouts {
    private Layouts() {}

    /** Keras order in, the engine's layout out, as a new array. */
    static INDArray toEngine(float[] values, long n, Shape shape) {
        if (shape.isImage() && shape.dim(2) > 1) {
            INDArray channelsLast = Nd4j.create(values, new long[] {n, shape.dim(0), shape.dim(1), shape.dim(2)}, 'c');
            return channelsLast.permute(0, 3, 1, 2).dup('c');
        }
        if (shape.isSequence() && shape.dim(1) > 1) {
            INDArray stepsFirst = Nd4j.create(values, new long[] {n, shape.dim(0), shape.dim(1)}, 'c');
            return stepsFirst.permute(0, 2, 1).dup('c');
        }
        // One channel or feature, or a vector: Keras order and the engine's layout hold the same sequence.
        return Nd4j.create(values, shape.batchShape(n), 'c');
    }

    /**
     * The same values as samples of {@code to}, which must hold as many values as {@code from}:
     * flattened in Keras order and refilled in Keras order.
     */
    static INDArray reshape(INDArray features, Shape from, Shape to) {
        long n = features.size(0);
        INDArray keras = from.isImage() ? features.permute(0, 2, 3, 1)
                : from.isSequence() ? features.permute(0, 2, 1) : features;
        INDArray flat = keras.dup('c').reshape('c', n, to.size());
        if (to.isImage()) {
            return flat.reshape('c', n, to.dim(0), to.dim(1), to.dim(2)).permute(0, 3, 1, 2).dup('c');
        }
        if (to.isSequence()) {
            return flat.reshape('c', n, to.dim(0), to.dim(1)).permute(0, 2, 1).dup('c');
        }
        return flat.reshape('c', to.batchShape(n));
    }
}
