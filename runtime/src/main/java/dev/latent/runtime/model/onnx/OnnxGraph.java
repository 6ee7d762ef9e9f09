package dev.latent.runtime.model.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.nd4j.shade.protobuf.ByteString;

/**
 * An ONNX graph being written: nodes in the order they run, initializers in the order they are
 * made, every name used once. Float tensors go in as little-endian raw data, so the same values
 * always give the same bytes.
 */
final class OnnxGraph {
    /** The name of the dynamic batch dimension of the graph's input and output. */
    static final String BATCH = "batch";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** Declares the graph's input {@code name}: floats of shape {@code [batch, sample...]}. */
    void input(String name, long[] sample) {
        claim(name);
        graph.addInput(valueInfo(name, sample));
    }

    /** Declares the graph's output {@code name}, computed as the tensor {@code from}. */
    void output(String name, String from, long[] sample) {
        node("Identity", name, List.of(from), name);
        graph.addOutput(valueInfo(name, sample));
    }

    /** A float initializer of shape {@code dims} holding {@code values} row-major; returns its name. */
    String floats(String name, long[] dims, float[] values) {
        long count = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        if (count != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + Arrays.toString(dims));
        }
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        bytes.flip();
        claim(name);
        graph.addInitializer(TensorProto.newBuilder().setName(name).addAllDims(boxed(dims))
                .setDataType(TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(bytes)).build());
        return name;
    }

    /** A 1-D int64 initializer (a shape, axes); returns its name. */
    String int64s(String name, long... values) {
        claim(name);
        graph.addInitializer(TensorProto.newBuilder().setName(name).addDims(values.length)
                .setDataType(TensorProto.DataType.INT64.getNumber()).addAllInt64Data(boxed(values)).build());
        return name;
    }

    /** A node of {@code type} named {@code output}, with one output of that name; returns it. */
    String node(String type, String output, List<String> inputs, AttributeProto... attributes) {
        return node(type, output, inputs, output, attributes);
    }

    /** A node of {@code type} named {@code name}; {@code outputs} may hold "" for an output not wanted. */
    String node(String type, String name, List<String> inputs, String output, AttributeProto... attributes) {
        return nodeWithOutputs(type, name, inputs, List.of(output), attributes).get(0);
    }

    List<String> nodeWithOutputs(String type, String name, List<String> inputs, List<String> outputs,
            AttributeProto... attributes) {
        for (String input : inputs) {
            if (!input.isEmpty() && !names.contains(input)) {
                throw new IllegalStateException("node " + name + " reads " + input + ", which nothing wrote");
            }
        }
        for (String output : outputs) {
            if (!output.isEmpty()) {
                claim(output);
            }
        }
        graph.addNode(NodeProto.newBuilder().setOpType(type).setName(name).addAllInput(inputs).addAllOutput(outputs)
                .addAllAttribute(List.of(attributes)).build());
        return outputs;
    }

    GraphProto build() {
        return graph.build();
    }

    static AttributeProto ints(String name, long... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(boxed(values)).build();
    }

    static AttributeProto ints(String name, int... values) {
        return ints(name, Arrays.stream(values).asLongStream().toArray());
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto reals(String name, float... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            attribute.addFloats(v);
        }
        return attribute.build();
    }

    static AttributeProto text(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    static AttributeProto texts(String name, String... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.STRINGS);
        for (String v : values) {
            attribute.addStrings(ByteString.copyFromUtf8(v));
        }
        return attribute.build();
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("the name " + name + " is used twice in the ONNX graph");
        }
    }

    private static ValueInfoProto valueInfo(String name, long[] sample) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (long d : sample) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static List<Long> boxed(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
