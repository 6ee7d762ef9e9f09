package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.withBatch;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A flatten or unflatten vertex, read as a row-major reshape (GraphEngine checks the result
 * against DL4J's on the first batch).
 */
final class ReshapeStage implements Stage {
    private final long[] sampleShape;
    private long[] inputShape;
    private final StageSupport.LastView output = new StageSupport.LastView();
    private final StageSupport.LastView inputGradient = new StageSupport.LastView();

    ReshapeStage(long[] sampleShape) {
        this.sampleShape = sampleShape;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        INDArray values = input.plain();
        inputShape = values.shape();
        return Tensor.plain(output.of(values, withBatch(values.size(0), sampleShape)));
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        return Tensor.plain(inputGradient.of(outputGradient.plain(), inputShape));
    }
}
