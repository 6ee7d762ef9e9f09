package dev.latent.runtime.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 1-D layer as DL4J computes it: its 2-D stage over the sequence {@code [n, F, T]} read as the
 * image {@code [n, F, T, 1]}, with a {@code k x 1} window.
 */
final class SequenceStage implements Stage {
    private final Stage image;
    private long[] inputShape;
    private long[] imageOutputShape;

    SequenceStage(Stage image) {
        this.image = image;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        INDArray values = input.plain();
        inputShape = values.shape();
        INDArray out = image.forward(Tensor.plain(values.reshape('c', inputShape[0], inputShape[1], inputShape[2], 1)),
                training).plain();
        imageOutputShape = out.shape();
        return Tensor.plain(out.reshape('c', imageOutputShape[0], imageOutputShape[1], imageOutputShape[2]));
    }

    @Override
    public OneDnnInference.Layer inferenceLayer(long[] inputShape) {
        return null; // the chain holds images only
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        Tensor gradient = image.backward(Tensor.plain(outputGradient.plain().reshape('c', imageOutputShape)),
                needInputGradient);
        return gradient == null ? null : Tensor.plain(gradient.plain().reshape('c', inputShape));
    }

    /** The 2-D stage inside. */
    Stage image() {
        return image;
    }
}
