package dev.latent.runtime.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Reads a DL4J graph once into the engine's {@link Op}s: the one place that looks at DL4J's
 * configuration classes. A graph lowers when it is a chain of layers the DSL generates, ending
 * in an identity loss layer; anything else gets the reason, naming the layer, and trains through
 * DL4J's own {@code fit}.
 */
final class Lowering {
    private Lowering() {}

    /** The lowered network, or why it does not lower. */
    record Result(Network network, String refusal) {
        boolean lowered() {
            return network != null;
        }
    }

    /**
     * A chain of ops from the input to the loss, with the loss, the gradient clipping threshold
     * per parameter type (0: none) and the name of the last op of the encoder (where encoding
     * stops), when the graph has one.
     */
    record Network(List<Op> ops, long[] input, ILossFunction loss, double clipThreshold) {
        /** The index of the op named {@code name}, or -1. */
        int indexOf(String name) {
            for (int i = 0; i < ops.size(); i++) {
                if (ops.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** {@code graph} (initialised) lowered for samples of {@code sampleShape} in the engine's layout. */
    static Result of(ComputationGraph graph, long[] sampleShape) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            return refuse("the graph has " + conf.getNetworkInputs().size() + " inputs and "
                    + conf.getNetworkOutputs().size() + " outputs; the engine computes one of each");
        }
        if (graph.params().dataType() != DataType.FLOAT) {
            return refuse("parameters are " + graph.params().dataType() + "; the engine computes 32-bit floats");
        }
        Map<String, InputType> types;
        try {
            types = conf.getLayerActivationTypes(inputType(sampleShape));
        } catch (RuntimeException e) {
            return refuse("DL4J infers no shapes for samples of shape " + Arrays.toString(sampleShape) + ": " + e.getMessage());
        }
        List<Op> ops = new ArrayList<>();
        ILossFunction loss = null;
        double clip = 0;
        String previous = conf.getNetworkInputs().get(0);
        long[] shape = sampleShape;
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex vertex = conf.getVertices().get(name);
            if (vertex == null) {
                continue; // the network input
            }
            List<String> inputs = conf.getVertexInputs().get(name);
            if (loss != null || inputs.size() != 1 || !inputs.get(0).equals(previous)) {
                return refuse(name + ": not a chain (the engine computes one layer after another)");
            }
            previous = name;
            long[] out = types.get(name).getShape(false);
            if (vertex instanceof PreprocessorVertex pre) {
                if (!reshapesInOrder(pre.getPreProcessor())) {
                    return refuse(name + ": preprocessor " + pre.getPreProcessor().getClass().getSimpleName()
                            + " reorders values");
                }
                ops.add(new Op.Reshape(name, shape, out));
                shape = out;
                continue;
            }
            if (vertex instanceof ReshapeVertex reshape) {
                if (reshape.getReshapeOrder() != 'c') {
                    return refuse(name + ": a reshape in '" + reshape.getReshapeOrder() + "' order");
                }
                ops.add(new Op.Reshape(name, shape, out));
                shape = out;
                continue;
            }
            if (!(vertex instanceof LayerVertex layerVertex)) {
                return refuse(name + ": vertex " + vertex.getClass().getSimpleName() + " has no op");
            }
            Layer layer = layerVertex.getLayerConf().getLayer();
            InputPreProcessor pre = layerVertex.getPreProcessor();
            if (pre != null && !reshapesInOrder(pre)) {
                return refuse(name + ": preprocessor " + pre.getClass().getSimpleName() + " reorders values");
            }
            if (layer instanceof LossLayer lossLayer) {
                if (!(lossLayer.getActivationFn() instanceof ActivationIdentity)) {
                    return refuse(name + ": a loss layer with activation " + lossLayer.getActivationFn());
                }
                loss = lossLayer.getLossFn();
                continue;
            }
            String unsupported = unsupportedSettings(layer);
            if (unsupported != null) {
                return refuse(name + ": " + unsupported);
            }
            if (layer instanceof BaseLayer weighted && weighted.getGradientNormalization() == GradientNormalization.ClipL2PerParamType) {
                clip = weighted.getGradientNormalizationThreshold();
            }
            long[] in = pre == null ? shape : pre.getOutputType(types.getOrDefault(previousName(conf, name), inputType(sampleShape))).getShape(false);
            Op op = op(name, layer, in, out);
            if (op == null) {
                return refuse(name + ": " + layer.getClass().getSimpleName() + " " + settingsOf(layer) + " has no op");
            }
            if (pre != null) {
                ops.add(new Op.Reshape(name + "#input", shape, in));
            }
            ops.add(op);
            shape = out;
        }
        if (loss == null) {
            return refuse("the graph ends without a loss layer");
        }
        if (ops.stream().noneMatch(Op::weighted)) {
            return refuse("the graph has no layer with parameters");
        }
        return new Result(new Network(List.copyOf(ops), sampleShape.clone(), loss, clip), null);
    }

    private static Result refuse(String reason) {
        return new Result(null, reason);
    }

    private static Op op(String name, Layer layer, long[] in, long[] out) {
        if (layer instanceof DenseLayer dense) {
            return dense.hasBias() && !dense.hasLayerNorm() ? new Op.Dense(name, in, out, dense.getActivationFn()) : null;
        }
        if (layer instanceof Convolution1DLayer conv) {
            if (!conv.hasBias() || conv.getDilation()[0] != 1 || conv.getRnnDataFormat() != RNNFormat.NCW) {
                return null;
            }
            boolean same = conv.getConvolutionMode() == ConvolutionMode.Same;
            return new Op.Conv(name, in, out, new int[] {conv.getKernelSize()[0], 1}, new int[] {conv.getStride()[0], 1},
                    same ? new int[] {0, 0} : new int[] {conv.getPadding()[0], 0}, same, conv.getActivationFn(), true);
        }
        if (layer instanceof Deconvolution2D deconv) {
            int[] k = deconv.getKernelSize();
            int[] s = deconv.getStride();
            int[] p = deconv.getPadding();
            boolean same = deconv.getConvolutionMode() == ConvolutionMode.Same;
            if (!deconv.hasBias() || k[0] < s[0] || k[1] < s[1] || !same && (p[0] != 0 || p[1] != 0)
                    || deconv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                return null;
            }
            return new Op.Deconv(name, in, out, k, s, same, deconv.getActivationFn());
        }
        if (layer instanceof ConvolutionLayer conv) {
            int[] d = conv.getDilation();
            if (!conv.hasBias() || d[0] != 1 || d[1] != 1 || conv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                return null;
            }
            boolean same = conv.getConvolutionMode() == ConvolutionMode.Same;
            return new Op.Conv(name, in, out, conv.getKernelSize(), conv.getStride(),
                    same ? new int[] {0, 0} : conv.getPadding(), same, conv.getActivationFn(), false);
        }
        if (layer instanceof Subsampling1DLayer pool) {
            boolean same = pool.getConvolutionMode() == ConvolutionMode.Same;
            return pool.getPoolingType() == PoolingType.MAX && pool.getDilation()[0] == 1
                    ? new Op.MaxPool(name, in, out, new int[] {pool.getKernelSize()[0], 1}, new int[] {pool.getStride()[0], 1},
                            same ? new int[] {0, 0} : new int[] {pool.getPadding()[0], 0}, same, true)
                    : null;
        }
        if (layer instanceof SubsamplingLayer pool) {
            int[] d = pool.getDilation();
            boolean same = pool.getConvolutionMode() == ConvolutionMode.Same;
            return pool.getPoolingType() == PoolingType.MAX && d[0] == 1 && d[1] == 1
                    && pool.getCnn2dDataFormat() == CNN2DFormat.NCHW
                    ? new Op.MaxPool(name, in, out, pool.getKernelSize(), pool.getStride(),
                            same ? new int[] {0, 0} : pool.getPadding(), same, false)
                    : null;
        }
        if (layer instanceof Upsampling1D up) {
            return new Op.UpSample(name, in, out, up.getSize()[0], 1, true);
        }
        if (layer instanceof Upsampling2D up) {
            return up.getFormat() == CNN2DFormat.NCHW ? new Op.UpSample(name, in, out, up.getSize()[0], up.getSize()[1], false)
                    : null;
        }
        if (layer instanceof DropoutLayer) {
            return layer.getIDropout() instanceof Dropout dropout && dropout.getPSchedule() == null
                    ? new Op.Dropout(name, in, out, dropout.getP())
                    : null;
        }
        if (layer instanceof BatchNormalization norm) {
            return !norm.isLockGammaBeta() && norm.getCnn2DFormat() == CNN2DFormat.NCHW
                    ? new Op.BatchNorm(name, in, out, norm.getDecay(), norm.getEps())
                    : null;
        }
        if (layer instanceof LastTimeStep last && last.getUnderlying() instanceof LSTM lstm) {
            return lstmOp(name, lstm, in, out, true);
        }
        if (layer instanceof LSTM lstm) {
            return lstmOp(name, lstm, in, out, false);
        }
        return null;
    }

    private static Op lstmOp(String name, LSTM lstm, long[] in, long[] out, boolean lastStepOnly) {
        boolean plain = lstm.getGateActivationFn() instanceof ActivationSigmoid && lstm.getRnnDataFormat() == RNNFormat.NCW
                ;
        return plain ? new Op.Lstm(name, in, out, lstm.getActivationFn(), lastStepOnly) : null;
    }

    /**
     * What a layer has that no op computes: weight noise, dropout on its input, regularisation
     * other than L2 on the weights, gradient normalisation other than clipping per parameter type;
     * null when nothing. L2 on the weights needs nothing here: DL4J's updater blocks apply it.
     */
    private static String unsupportedSettings(Layer layer) {
        if (layer.getIDropout() != null && !(layer instanceof DropoutLayer)) {
            return "dropout on a layer's input (" + layer.getIDropout() + ")";
        }
        if (!(layer instanceof BaseLayer weighted)) {
            return null;
        }
        if (weighted.getWeightNoise() != null) {
            return "weight noise " + weighted.getWeightNoise();
        }
        if (weighted.getRegularizationBias() != null && !weighted.getRegularizationBias().isEmpty()) {
            return "regularisation of the biases " + weighted.getRegularizationBias();
        }
        if (weighted.getRegularization() != null) {
            for (Regularization r : weighted.getRegularization()) {
                if (!(r instanceof L2Regularization)) {
                    return "regularisation " + r;
                }
            }
        }
        GradientNormalization normalization = weighted.getGradientNormalization();
        if (normalization != null && normalization != GradientNormalization.None
                && normalization != GradientNormalization.ClipL2PerParamType) {
            return "gradient normalisation " + normalization;
        }
        return null;
    }

    private static String settingsOf(Layer layer) {
        return layer instanceof BaseLayer b ? "(" + b.getActivationFn() + ")" : "";
    }

    /** Whether a preprocessor is a row-major reshape of the engine's layouts (NCHW, [n, N]). */
    private static boolean reshapesInOrder(InputPreProcessor pre) {
        if (pre instanceof CnnToFeedForwardPreProcessor flatten) {
            return flatten.getFormat() == CNN2DFormat.NCHW;
        }
        if (pre instanceof FeedForwardToCnnPreProcessor) {
            return true; // NCHW only in this DL4J
        }
        if (pre instanceof ComposableInputPreProcessor composed) {
            return Arrays.stream(composed.getInputPreProcessors()).allMatch(Lowering::reshapesInOrder);
        }
        return false;
    }

    /** DL4J's input type of samples of {@code shape} in the engine's layout. */
    private static InputType inputType(long[] shape) {
        return switch (shape.length) {
            case 1 -> InputType.feedForward(shape[0]);
            case 2 -> InputType.recurrent(shape[0], shape[1]);
            case 3 -> InputType.convolutional(shape[1], shape[2], shape[0]);
            default -> throw new IllegalArgumentException("no input type of rank " + shape.length);
        };
    }

    private static String previousName(ComputationGraphConfiguration conf, String name) {
        return conf.getVertexInputs().get(name).get(0);
    }
}
