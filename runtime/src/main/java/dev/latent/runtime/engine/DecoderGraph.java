package dev.latent.runtime.engine;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The decoder as a DL4J graph of its own, for decoding on DL4J's path: built on first use, and
 * given the autoencoder's parameters by layer name whenever they changed since.
 */
final class DecoderGraph {
    private final ComputationGraphConfiguration configuration;
    private ComputationGraph graph;
    private long copiedVersion = -1;

    DecoderGraph(ComputationGraphConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The decoder with {@code autoencoder}'s parameters as of {@code version} (a count of their changes). */
    ComputationGraph current(ComputationGraph autoencoder, long version) {
        if (graph == null) {
            graph = new ComputationGraph(configuration);
            graph.init();
        }
        if (copiedVersion != version) {
            copyParameters(autoencoder, graph);
            copiedVersion = version;
        }
        return graph;
    }

    // Layer names are the same in all three configurations, so a part's layers find theirs by name.
    // Batch normalisation's running mean and variance are parameters here, so they travel too.
    private static void copyParameters(ComputationGraph from, ComputationGraph to) {
        for (Layer layer : to.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Layer source = from.getLayer(name);
            if (source == null) {
                throw new IllegalStateException("layer " + name + " is not in the autoencoder graph");
            }
            for (Map.Entry<String, INDArray> parameter : layer.paramTable().entrySet()) {
                INDArray value = source.getParam(parameter.getKey());
                if (value == null || !Arrays.equals(value.shape(), parameter.getValue().shape())) {
                    throw new IllegalStateException("parameter " + parameter.getKey() + " of layer " + name
                            + " differs between the autoencoder and its part");
                }
                parameter.getValue().assign(value);
            }
        }
    }
}
