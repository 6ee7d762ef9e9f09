package dev.latent.runtime.settings;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * Binary cross-entropy averaged over a sample's elements, as Keras computes it. DL4J's
 * {@link LossBinaryXENT} sums over them instead, which scales the gradient by the sample size
 * and makes plain SGD's learning rate mean something else than in Keras.
 */
public class MeanBinaryCrossEntropy extends LossBinaryXENT {

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return super.computeScoreArray(labels, preOutput, activationFn, mask).divi(labels.size(1));
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        return super.computeScore(labels, preOutput, activationFn, mask, average) / labels.size(1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return super.computeGradient(labels, preOutput, activationFn, mask).divi(labels.size(1));
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(
                computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "MeanBinaryCrossEntropy";
    }

    @Override
    public String toString() {
        return "MeanBinaryCrossEntropy()";
    }
}
