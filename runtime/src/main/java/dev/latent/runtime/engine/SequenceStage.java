package dev.latent.runtime.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 1-D layer as its 2-D stage over the sequence {@code [n, F, T]} read as the image
 * {@code [n, F, 1, T]}, with a {@code 1 x k} window: the same bytes as DL4J's {@code [n, F, T, 1]}
 * and its {@code k x 1} window, but with the steps along the width, which oneDNN's kernels block
 * over (along the height, with a width of 1, they ran at a third of the speed). Between two 1-D
 * stages the values stay in oneDNN's layout ({@link Tensor#sequenceOf}).
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
        inputShape = input.shape();
        Tensor out = image.forward(asImage(input), training);
        imageOutputShape = out.shape();
        return asSequence(out);
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        Tensor gradient = image.backward(asImage(outputGradient), needInputGradient);
        return gradient == null ? null : asSequence(gradient);
    }

    private static Tensor asImage(Tensor sequence) {
        if (sequence.image() != null) {
            return sequence.image();
        }
        long[] shape = sequence.shape();
        return Tensor.plain(sequence.plain().reshape('c', shape[0], shape[1], 1, shape[2]));
    }

    private static Tensor asSequence(Tensor image) {
        long[] shape = image.shape();
        long[] sequence = {shape[0], shape[1], shape[3]};
        return image.layout() == null ? Tensor.plain(image.plain().reshape('c', sequence))
                : Tensor.sequenceOf(image, sequence);
    }

    /** The 2-D stage inside. */
    Stage image() {
        return image;
    }
}
