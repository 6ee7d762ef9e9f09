package dev.latent.runtime.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

final class OneDnnLstm implements LstmKernel {
    OneDnnLstm(LstmParams params, boolean returnSequences, int n, int steps) {
        throw new UnsupportedOperationException("todo");
    }

    @Override
    public INDArray forward(INDArray input) {
        return null;
    }

    @Override
    public INDArray backward(INDArray outputGradient, boolean needInputGradient) {
        return null;
    }
}
