package dev.latent.runtime.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 1-D convolution's kernel in the layout the 2-D stage reads. DL4J keeps a Conv1D's weights in
 * a {@code [out, in, k, 1]} parameter view but computes with its values read row-major as
 * {@code [k, in, out]}, so the stage works on a reordered copy, refreshed before each forward
 * pass, and its weight gradient goes back into DL4J's view in DL4J's order.
 */
final class Conv1DWeights implements Stage {
    private final INDArray dl4jWeights;
    private final INDArray dl4jWeightGradient;
    private final INDArray weights;
    private final INDArray weightGradient;
    private final long outputs;
    private final long inputs;
    private final long kernel;
    private final Stage convolution;

    /** The weights of {@code layer} ({@code [out, in, k, 1]}) and a convolution made from {@code reordered} views. */
    Conv1DWeights(LayerParams layer, java.util.function.Function<LayerParams, Stage> convolution) {
        long[] shape = layer.weights().shape();
        this.outputs = shape[0];
        this.inputs = shape[1];
        this.kernel = shape[2];
        this.dl4jWeights = layer.weights();
        this.dl4jWeightGradient = layer.weightGradient();
        this.weights = Nd4j.create(DataType.FLOAT, shape, 'c');
        this.weightGradient = Nd4j.create(DataType.FLOAT, shape, 'c');
        this.convolution = convolution.apply(new LayerParams(weights, layer.bias(), weightGradient, layer.biasGradient()));
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        weights.reshape('c', outputs, inputs, kernel).assign(dl4jWeights.reshape('c', kernel, inputs, outputs).permute(2, 1, 0));
        return convolution.forward(input, training);
    }

    @Override
    public OneDnnInference.Layer inferenceLayer(long[] inputShape) {
        return null;
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        Tensor gradient = convolution.backward(outputGradient, needInputGradient);
        dl4jWeightGradient.reshape('c', kernel, inputs, outputs)
                .assign(weightGradient.reshape('c', outputs, inputs, kernel).permute(2, 1, 0));
        return gradient;
    }
}
