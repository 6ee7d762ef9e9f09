package dev.latent.runtime.engine;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's own LSTM layer as the ND4J backend's kernel: the graph's layer object (the LSTM, or the
 * {@code LastTimeStep} around it) computes both passes with ND4J's ops, for every activation DL4J
 * offers, and writes its gradients into the graph's views as DL4J's {@code fit} does. It runs
 * where oneDNN's LSTM cannot: without oneDNN's natives, or for a cell activation other than tanh.
 * Its backward pass runs the forward pass again, as DL4J's layer always does.
 */
final class LayerLstm implements LstmKernel {
    private final Layer layer;

    LayerLstm(Layer layer) {
        this.layer = layer;
    }

    @Override
    public INDArray forward(INDArray input) {
        return rowMajor(layer.activate(input, true, LayerWorkspaceMgr.noWorkspaces()));
    }

    @Override
    public INDArray backward(INDArray outputGradient, boolean needInputGradient) {
        INDArray inputGradient = layer.backpropGradient(outputGradient, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        layer.clear();
        return needInputGradient ? rowMajor(inputGradient) : null;
    }

    private static INDArray rowMajor(INDArray array) {
        return array.ordering() == 'c' ? array : array.dup('c');
    }
}
