package dev.latent.runtime.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An engine's network as its one lowering reads it, for readers outside the engine (the ONNX
 * exporter): the chain of {@link Op}s with their shapes, where the encoder ends, and each
 * layer's parameters as DL4J keeps them. A copy: later training does not change it.
 */
public final class LoweredNetwork {
    private final List<Op> ops;
    private final long[] input;
    private final int codeIndex;
    private final Map<String, Map<String, INDArray>> parameters;

    private LoweredNetwork(List<Op> ops, long[] input, int codeIndex, Map<String, Map<String, INDArray>> parameters) {
        this.ops = ops;
        this.input = input;
        this.codeIndex = codeIndex;
        this.parameters = parameters;
    }

    /**
     * The network {@code engine} computes for samples of {@code sampleShape} (the engine's layout,
     * without the batch dimension).
     *
     * @throws IllegalArgumentException with the lowering's reason, naming the layer, if the network
     *     does not lower to ops, or if the engine is not one this runtime reads
     */
    public static LoweredNetwork of(Engine engine, long[] sampleShape) {
        Objects.requireNonNull(engine, "engine");
        if (!(engine instanceof GraphEngine graphEngine)) {
            throw new IllegalArgumentException("the engine '" + engine.kind() + "' has no lowered network; only '"
                    + GraphEngine.KIND + "' has");
        }
        ComputationGraph graph = graphEngine.graph();
        Lowering.Result lowered = Lowering.of(graph, sampleShape.clone());
        if (!lowered.lowered()) {
            throw new IllegalArgumentException(lowered.refusal());
        }
        List<Op> ops = lowered.network().ops();
        String code = graphEngine.codeVertex();
        int codeIndex = lowered.network().indexOf(code);
        if (codeIndex < 0) {
            throw new IllegalArgumentException("the encoder's output " + code + " is not a layer of the chain");
        }
        Map<String, Map<String, INDArray>> parameters = new LinkedHashMap<>();
        for (Op op : ops) {
            if (op.weighted()) {
                Layer layer = graph.getLayer(op.name());
                Map<String, INDArray> table = new LinkedHashMap<>();
                layer.paramTable().forEach((key, value) -> table.put(key, value.dup('c')));
                parameters.put(op.name(), table);
            }
        }
        return new LoweredNetwork(ops, sampleShape.clone(), codeIndex, parameters);
    }

    /** The ops from the input to the reconstruction, in order. */
    public List<Op> ops() {
        return ops;
    }

    /** The shape of one input sample, in the engine's layout. */
    public long[] input() {
        return input.clone();
    }

    /** The index in {@link #ops()} of the encoder's last op, whose output is the code. */
    public int codeIndex() {
        return codeIndex;
    }

    /**
     * A copy of the parameter {@code key} ({@code W}, {@code b}, {@code RW}, {@code gamma}, ...) of the
     * weighted layer {@code layer}, in DL4J's shape, row-major.
     *
     * @throws IllegalArgumentException if the layer has no such parameter
     */
    public INDArray parameter(String layer, String key) {
        Map<String, INDArray> table = parameters.get(layer);
        INDArray value = table == null ? null : table.get(key);
        if (value == null) {
            throw new IllegalArgumentException("layer " + layer + " has no parameter '" + key + "'"
                    + (table == null ? "" : "; it has " + table.keySet()));
        }
        return value.dup('c');
    }

    /** Whether the weighted layer {@code layer} has the parameter {@code key}. */
    public boolean hasParameter(String layer, String key) {
        Map<String, INDArray> table = parameters.get(layer);
        return table != null && table.containsKey(key);
    }
}
