package dev.latent.runtime.engine;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The graph's parameter and gradient views of one DL4J {@code LSTM} (no peepholes), as
 * {@link LSTMParamInitializer} lays them out: input weights {@code W} [nIn, 4 nOut] and recurrent
 * weights {@code RW} [nOut, 4 nOut], both column-major, and the bias {@code b} [4 nOut]. The 4 nOut
 * columns hold, in blocks of nOut: the cell input (the layer's activation), the forget gate, the
 * output gate and the input gate (the gate activation, sigmoid).
 */
record LstmParams(INDArray inputWeights, INDArray recurrentWeights, INDArray bias, INDArray inputWeightGradient,
        INDArray recurrentWeightGradient, INDArray biasGradient) {

    /** The views of {@code layer}: the graph's LSTM layer, or a {@code LastTimeStep} wrapped around one. */
    static LstmParams of(Layer layer) {
        Map<String, INDArray> gradients = new LSTMParamInitializer().getGradientsFromFlattened(layer.conf(),
                layer.getGradientsViewArray());
        return new LstmParams(layer.getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY),
                layer.getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY), layer.getParam(LSTMParamInitializer.BIAS_KEY),
                gradients.get(LSTMParamInitializer.INPUT_WEIGHT_KEY), gradients.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY),
                gradients.get(LSTMParamInitializer.BIAS_KEY));
    }

    long inputs() {
        return inputWeights.size(0);
    }

    long units() {
        return recurrentWeights.size(0);
    }
}
