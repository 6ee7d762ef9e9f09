package dev.latent.testkit;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LayerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the kit's messages say about a network's DL4J graph: the layer that produces the
 * reconstruction, and which layer owns which stretch of the flat parameter vector (both engines
 * lay their parameters out as DL4J's graph does).
 */
final class GraphFacts {
    private GraphFacts() {}

    /** One layer's parameters in the flat vector: {@code [from, to)}. */
    record Span(String layer, long from, long to) {}

    /**
     * The last layer with an activation before the loss: its name, its kind as the summary names
     * it, and its activation; {@code activation} is null if there is none.
     */
    record OutputLayer(String name, String kind, IActivation activation) {
        /** As {@code decoder.pixels (Conv2D, activation sigmoid)}. */
        @Override
        public String toString() {
            return activation == null ? "none (no layer with an activation before the loss)"
                    : name + " (" + kind + ", activation " + activation + ")";
        }
    }

    /** The last layer with weights before the loss, as {@code decoder.pixels (Conv2D, activation sigmoid)}. */
    static String outputLayer(AutoencoderNetwork network) {
        return findOutputLayer(network).toString();
    }

    /** The last layer with an activation before the loss. */
    static OutputLayer findOutputLayer(AutoencoderNetwork network) {
        ComputationGraphConfiguration graph = network.configuration(GraphPart.AUTOENCODER, network.training(),
                network.loss());
        Map<String, List<String>> inputs = graph.getVertexInputs();
        String name = inputs.get(graph.getNetworkOutputs().get(0)).get(0);
        while (true) {
            GraphVertex vertex = graph.getVertices().get(name);
            if (vertex instanceof LayerVertex layerVertex && layerVertex.getLayerConf().getLayer() != null) {
                Layer layer = unwrap(layerVertex.getLayerConf().getLayer());
                if (layer instanceof BaseLayer base) {
                    return new OutputLayer(name, kindOf(network, name), base.getActivationFn());
                }
            }
            List<String> previous = inputs.get(name);
            if (previous == null || previous.isEmpty()) {
                return new OutputLayer(null, null, null);
            }
            name = previous.get(0);
        }
    }

    /** The parameter spans of {@code graph}, layer by layer, in the order of its flat vector. */
    static List<Span> spans(ComputationGraph graph) {
        List<Span> spans = new ArrayList<>();
        long at = 0;
        for (Map.Entry<String, INDArray> parameter : graph.paramTable().entrySet()) {
            String key = parameter.getKey();
            String layer = key.substring(0, Math.max(0, key.lastIndexOf('_')));
            long to = at + parameter.getValue().length();
            if (!spans.isEmpty() && spans.get(spans.size() - 1).layer().equals(layer)) {
                spans.set(spans.size() - 1, new Span(layer, spans.get(spans.size() - 1).from(), to));
            } else {
                spans.add(new Span(layer, at, to));
            }
            at = to;
        }
        return spans;
    }

    /** The layer that owns entry {@code index} of the flat parameter vector. */
    static String layerOf(AutoencoderNetwork network, long index) {
        for (Span span : spans(declaredGraph(network))) {
            if (index >= span.from() && index < span.to()) {
                return span.layer();
            }
        }
        return "unknown (parameter " + index + ")";
    }

    /** The layers none of whose parameters differ between the flat vectors {@code x} and {@code y}. */
    static List<String> unchangedLayers(AutoencoderNetwork network, double[] x, double[] y) {
        List<String> unchanged = new ArrayList<>();
        for (Span span : spans(declaredGraph(network))) {
            if (span.to() > x.length || span.to() > y.length) {
                break;
            }
            boolean same = true;
            for (int i = (int) span.from(); i < span.to() && same; i++) {
                same = Double.compare(x[i], y[i]) == 0;
            }
            if (same) {
                unchanged.add(span.layer());
            }
        }
        return unchanged;
    }

    /** The graph of {@code network} as declared, initialised, in the engine's precision. */
    static ComputationGraph declaredGraph(AutoencoderNetwork network) {
        ComputationGraph graph = new ComputationGraph(network.configuration(GraphPart.AUTOENCODER,
                network.training(), network.loss()));
        graph.init();
        return graph;
    }

    private static Layer unwrap(Layer layer) {
        Layer inner = layer;
        while (inner instanceof BaseWrapperLayer wrapper) {
            inner = wrapper.getUnderlying();
        }
        return inner;
    }

    private static String kindOf(AutoencoderNetwork network, String layer) {
        return network.layers().stream().filter(l -> l.name().equals(layer)).map(LayerInfo::kind).findFirst()
                .orElse("layer");
    }
}
