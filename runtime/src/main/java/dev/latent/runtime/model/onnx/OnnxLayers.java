package dev.latent.runtime.model.onnx;

import static dev.latent.runtime.model.onnx.OnnxGraph.integer;
import static dev.latent.runtime.model.onnx.OnnxGraph.ints;
import static dev.latent.runtime.model.onnx.OnnxGraph.real;
import static dev.latent.runtime.model.onnx.OnnxGraph.reals;
import static dev.latent.runtime.model.onnx.OnnxGraph.text;
import static dev.latent.runtime.model.onnx.OnnxGraph.texts;

import dev.latent.runtime.engine.LoweredNetwork;
import dev.latent.runtime.engine.Op;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Each of the engine's ops as ONNX nodes over the engine's layouts (NCHW images, {@code [n, F, T]}
 * sequences, {@code [n, N]} vectors), with the layer's parameters reordered from DL4J's layouts
 * to ONNX's. A layer's output tensor carries the layer's name; its parameters are initializers
 * named {@code layer.W}, {@code layer.b} and so on.
 */
final class OnnxLayers {
    // DL4J's LSTM keeps its four blocks of units as (cell input, forget, output, input gate);
    // ONNX's order is (input, output, forget, cell): for each ONNX block, DL4J's block.
    private static final int[] LSTM_BLOCK_FROM_DL4J = {3, 2, 1, 0};

    private final OnnxGraph graph;
    private final LoweredNetwork network;

    OnnxLayers(OnnxGraph graph, LoweredNetwork network) {
        this.graph = graph;
        this.network = network;
    }

    /** Writes {@code op}'s nodes reading the tensor {@code x}; returns the name of its output tensor. */
    String add(Op op, String x) {
        if (op instanceof Op.Dense dense) {
            return dense(dense, x);
        }
        if (op instanceof Op.Conv conv) {
            return conv(conv, x);
        }
        if (op instanceof Op.Deconv deconv) {
            return deconv(deconv, x);
        }
        if (op instanceof Op.MaxPool pool) {
            return graph.node("MaxPool", pool.name(), List.of(x), ints("kernel_shape", axes(pool.kernel(), pool.sequence())),
                    ints("strides", axes(pool.stride(), pool.sequence())),
                    ints("pads", pads(pool.input(), pool.output(), pool.kernel(), pool.stride(), pool.padding(), pool.same(),
                            pool.sequence())));
        }
        if (op instanceof Op.UpSample up) {
            float[] scales = up.sequence() ? new float[] {1, 1, up.height()} : new float[] {1, 1, up.height(), up.width()};
            String s = graph.floats(up.name() + ".scales", new long[] {scales.length}, scales);
            // Nearest neighbour by whole factors: output index i reads input index floor(i / factor).
            return graph.node("Resize", up.name(), List.of(x, "", s), text("mode", "nearest"),
                    text("coordinate_transformation_mode", "asymmetric"), text("nearest_mode", "floor"));
        }
        if (op instanceof Op.Reshape reshape) {
            long[] shape = new long[reshape.output().length + 1];
            shape[0] = -1;
            System.arraycopy(reshape.output(), 0, shape, 1, reshape.output().length);
            return graph.node("Reshape", reshape.name(), List.of(x, graph.int64s(reshape.name() + ".shape", shape)));
        }
        if (op instanceof Op.Dropout dropout) {
            return graph.node("Identity", dropout.name(), List.of(x)); // inference: dropout passes values through
        }
        if (op instanceof Op.BatchNorm norm) {
            return batchNorm(norm, x);
        }
        if (op instanceof Op.Lstm lstm) {
            return lstm(lstm, x);
        }
        throw new OnnxExportException(op.name() + ": " + op.describe() + " has no ONNX form in this exporter");
    }

    private String dense(Op.Dense dense, String x) {
        String name = dense.name();
        INDArray w = network.parameter(name, "W");
        String weights = graph.floats(name + ".W", w.shape(), values(w));
        String bias = graph.floats(name + ".b", new long[] {dense.output()[0]}, values(network.parameter(name, "b")));
        String linear = graph.node("Gemm", name + "/linear", List.of(x, weights, bias));
        return OnnxActivations.apply(graph, name, dense.activation(), linear, name);
    }

    private String conv(Op.Conv conv, String x) {
        String name = conv.name();
        INDArray w = network.parameter(name, "W");
        long[] shape = w.shape(); // [out, in, kH, kW]; a Conv1D's [out, in, k, 1]
        INDArray kernel;
        if (conv.sequence()) {
            // DL4J computes a Conv1D with its view's values read row-major as [k, in, out].
            kernel = w.reshape('c', shape[2], shape[1], shape[0]).permute(2, 1, 0);
        } else {
            kernel = w;
        }
        long[] dims = conv.sequence() ? new long[] {shape[0], shape[1], shape[2]} : shape;
        String weights = graph.floats(name + ".W", dims, values(kernel));
        String bias = graph.floats(name + ".b", new long[] {shape[0]}, values(network.parameter(name, "b")));
        String linear = graph.node("Conv", name + "/linear", List.of(x, weights, bias),
                ints("kernel_shape", axes(conv.kernel(), conv.sequence())), ints("strides", axes(conv.stride(), conv.sequence())),
                ints("pads", pads(conv.input(), conv.output(), conv.kernel(), conv.stride(), conv.padding(), conv.same(),
                        conv.sequence())));
        return OnnxActivations.apply(graph, name, conv.activation(), linear, name);
    }

    private String deconv(Op.Deconv deconv, String x) {
        String name = deconv.name();
        INDArray w = network.parameter(name, "W"); // [in, out, kH, kW], as ONNX's ConvTranspose takes it
        String weights = graph.floats(name + ".W", w.shape(), values(w));
        String bias = graph.floats(name + ".b", new long[] {w.size(1)}, values(network.parameter(name, "b")));
        int[] k = deconv.kernel();
        int[] s = deconv.stride();
        long[] pads = new long[4];
        if (deconv.same()) {
            // DL4J crops k - s from each spatial axis, half of it (rounded down) before.
            for (int axis = 0; axis < 2; axis++) {
                int total = k[axis] - s[axis];
                pads[axis] = total / 2;
                pads[2 + axis] = total - total / 2;
            }
        }
        String linear = graph.node("ConvTranspose", name + "/linear", List.of(x, weights, bias),
                ints("kernel_shape", k), ints("strides", s), ints("pads", pads));
        return OnnxActivations.apply(graph, name, deconv.activation(), linear, name);
    }

    private String batchNorm(Op.BatchNorm norm, String x) {
        String name = norm.name();
        float[] variance;
        if (network.hasParameter(name, "log10stdev")) {
            // DL4J keeps log10 of the standard deviation; inference divides by sqrt(std^2 + eps), as the engine does.
            variance = values(network.parameter(name, "log10stdev"));
            for (int i = 0; i < variance.length; i++) {
                float std = (float) Math.pow(10.0, variance[i]);
                variance[i] = std * std;
            }
        } else {
            variance = values(network.parameter(name, "var"));
        }
        long[] channels = {variance.length};
        String gamma = graph.floats(name + ".gamma", channels, values(network.parameter(name, "gamma")));
        String beta = graph.floats(name + ".beta", channels, values(network.parameter(name, "beta")));
        String mean = graph.floats(name + ".mean", channels, values(network.parameter(name, "mean")));
        String var = graph.floats(name + ".var", channels, variance);
        return graph.node("BatchNormalization", name, List.of(x, gamma, beta, mean, var),
                real("epsilon", (float) norm.epsilon()));
    }

    private String lstm(Op.Lstm lstm, String x) {
        String name = lstm.name();
        INDArray w = network.parameter(name, "W"); // [in, 4 units]
        INDArray r = network.parameter(name, "RW"); // [units, 4 units]
        INDArray b = network.parameter(name, "b"); // [1, 4 units]
        long inputs = w.size(0);
        long units = r.size(0);
        String weights = graph.floats(name + ".W", new long[] {1, 4 * units, inputs}, gateRows(w, units));
        String recurrent = graph.floats(name + ".R", new long[] {1, 4 * units, units}, gateRows(r, units));
        float[] bias = new float[(int) (8 * units)]; // ONNX adds an input and a recurrent bias; DL4J has one
        System.arraycopy(gateRows(b, units), 0, bias, 0, (int) (4 * units));
        String biases = graph.floats(name + ".B", new long[] {1, 8 * units}, bias);

        OnnxActivations.Function cell = OnnxActivations.ofRecurrent(name, lstm.activation());
        List<Float> alphas = new ArrayList<>();
        List<Float> betas = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // the cell input's and the cell output's function: DL4J's one activation
            if (cell.alpha() != null) {
                alphas.add(cell.alpha());
            }
            if (cell.beta() != null) {
                betas.add(cell.beta());
            }
        }
        List<onnx.Onnx.AttributeProto> attributes = new ArrayList<>(List.of(integer("hidden_size", units),
                texts("activations", "Sigmoid", cell.operator(), cell.operator())));
        if (!alphas.isEmpty()) {
            attributes.add(reals("activation_alpha", unboxed(alphas)));
        }
        if (!betas.isEmpty()) {
            attributes.add(reals("activation_beta", unboxed(betas)));
        }
        String steps = graph.node("Transpose", name + "/steps", List.of(x), ints("perm", 2, 0, 1)); // [T, n, F]
        String all = lstm.lastStepOnly() ? "" : name + "/all";
        String last = lstm.lastStepOnly() ? name + "/last" : "";
        graph.nodeWithOutputs("LSTM", name + "/lstm", List.of(steps, weights, recurrent, biases), List.of(all, last),
                attributes.toArray(onnx.Onnx.AttributeProto[]::new));
        if (lstm.lastStepOnly()) {
            // Y_h [1, n, units] -> [n, units]
            return graph.node("Squeeze", name, List.of(last, graph.int64s(name + ".axes", 0)));
        }
        // Y [T, 1, n, units] -> [T, n, units] -> [n, units, T]
        String squeezed = graph.node("Squeeze", name + "/squeezed", List.of(all, graph.int64s(name + ".axes", 1)));
        return graph.node("Transpose", name, List.of(squeezed), ints("perm", 1, 2, 0));
    }

    /**
     * DL4J's {@code [rows, 4 units]} LSTM weights (or bias, one row) as ONNX's {@code [4 units, rows]},
     * row-major, with the blocks of units in ONNX's gate order.
     */
    private static float[] gateRows(INDArray dl4j, long units) {
        float[] from = values(dl4j); // row-major [rows, 4 units]; the bias may be kept as a vector
        long rows = from.length / (4 * units);
        float[] to = new float[from.length];
        int i = 0;
        for (int block = 0; block < 4; block++) {
            long column0 = LSTM_BLOCK_FROM_DL4J[block] * units;
            for (long u = 0; u < units; u++) {
                for (long row = 0; row < rows; row++) {
                    to[i++] = from[(int) (row * 4 * units + column0 + u)];
                }
            }
        }
        return to;
    }

    /** The window's sizes along the spatial axes: both for an image, the first for a sequence. */
    private static int[] axes(int[] values, boolean sequence) {
        return sequence ? new int[] {values[0]} : values.clone();
    }

    /**
     * ONNX's pads ({@code [begin..., end...]}) of a window from {@code in} to {@code out} (one
     * sample, channels first): for SAME, DL4J's and Keras' (the odd one at the end); else the
     * given padding on both sides, with the output rounded down as DL4J's truncating mode does.
     */
    private static long[] pads(long[] in, long[] out, int[] kernel, int[] stride, int[] padding, boolean same,
            boolean sequence) {
        int spatial = sequence ? 1 : 2;
        long[] pads = new long[2 * spatial];
        for (int axis = 0; axis < spatial; axis++) {
            if (same) {
                long total = Math.max(0, (out[1 + axis] - 1) * stride[axis] + kernel[axis] - in[1 + axis]);
                pads[axis] = total / 2;
                pads[spatial + axis] = total - total / 2;
            } else {
                pads[axis] = padding[axis];
                pads[spatial + axis] = padding[axis];
            }
        }
        return pads;
    }

    private static float[] values(INDArray array) {
        return array.castTo(DataType.FLOAT).dup('c').reshape('c', new long[] {array.length()}).toFloatVector();
    }

    private static float[] unboxed(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
