package dev.latent.runtime.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 1-D convolution's kernel in the layout the 2-D stage reads. DL4J keeps a Conv1D's weights in
 * a {@code [out, in, k, 1]} parameter view but computes with its values read row-major as
 * {@code [k, in, out]}, so the stage works on a reordered copy, refreshed before each forward
 * pass, and its weight gradient goes back into DL4J's view in DL4J's order. The copy is
 * {@code [out, in, 1, k]}, for {@link SequenceStage}'s steps along the width.
 */
final class Conv1DWeights implements Stage {
    // Views made once: a view made at every step costs more than the copy it serves.
    private final INDArray dl4jWeightsReordered;
    private final INDArray dl4jWeightGradientReordered;
    private final INDArray weightsAsKernel;
    private final INDArray weightGradientAsKernel;
    private final Stage convolution;

    /** The weights of {@code layer} ({@code [out, in, k, 1]}) and a convolution made from the reordered copies. */
    Conv1DWeights(LayerParams layer, java.util.function.Function<LayerParams, Stage> convolution) {
        long[] shape = layer.weights().shape();
        long outputs = shape[0];
        long inputs = shape[1];
        long kernel = shape[2];
        INDArray weights = Nd4j.create(DataType.FLOAT, new long[] {outputs, inputs, 1, kernel}, 'c');
        INDArray weightGradient = Nd4j.create(DataType.FLOAT, new long[] {outputs, inputs, 1, kernel}, 'c');
        this.weightsAsKernel = weights.reshape('c', outputs, inputs, kernel);
        this.weightGradientAsKernel = weightGradient.reshape('c', outputs, inputs, kernel).permute(2, 1, 0);
        this.dl4jWeightsReordered = layer.weights().reshape('c', kernel, inputs, outputs).permute(2, 1, 0);
        this.dl4jWeightGradientReordered = layer.weightGradient().reshape('c', kernel, inputs, outputs);
        this.convolution = convolution.apply(new LayerParams(weights, layer.bias(), weightGradient, layer.biasGradient()));
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        weightsAsKernel.assign(dl4jWeightsReordered);
        return convolution.forward(input, training);
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        Tensor gradient = convolution.backward(outputGradient, needInputGradient);
        dl4jWeightGradientReordered.assign(weightGradientAsKernel);
        return gradient;
    }
}
