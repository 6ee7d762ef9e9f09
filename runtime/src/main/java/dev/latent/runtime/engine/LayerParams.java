package dev.latent.runtime.engine;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The graph's parameter and gradient views of one layer. */
record LayerParams(INDArray weights, INDArray bias, INDArray weightGradient, INDArray biasGradient) {
    LayerParams(Layer layer) {
        this(layer, layer.conf().getLayer().initializer().getGradientsFromFlattened(layer.conf(),
                layer.getGradientsViewArray()));
    }

    private LayerParams(Layer layer, Map<String, INDArray> gradientViews) {
        this(layer.getParam("W"), layer.getParam("b"), gradientViews.get("W"), gradientViews.get("b"));
    }
}
