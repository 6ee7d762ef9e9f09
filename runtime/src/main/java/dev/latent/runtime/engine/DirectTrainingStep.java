package dev.latent.runtime.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BiasAdd;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * One training step of a chain of dense, convolution, transposed-convolution, max-pooling and
 * 2-D upsampling layers (every seed model), computed straight on the graph's own parameter, gradient and
 * optimizer-state arrays: each layer's forward and backward op into arrays kept between steps,
 * then DL4J's own updater blocks, and nothing else.
 *
 * <p>Two engines spent most of a step outside the arithmetic. DL4J's {@code fit} took 4.5 ms a
 * batch of 64 on the seed's dense model against 2.1 ms here with ND4J's ops. SameDiff's session
 * took 107 to 127 ms on the seed's conv model against 64 to 83 here with the same libnd4j ops:
 * SameDiff allocates every activation and gradient afresh each step and walks its graph in Java.
 * Where oneDNN's presets load, convolutions with their activations ({@link OneDnnConvolution}),
 * max pooling ({@link OneDnnPooling}) and dense products ({@link OneDnnMatmul}) go to oneDNN
 * directly, faster still; libnd4j's ops are the fallback. Stages pass {@link Tensor}s, so values
 * stay in oneDNN's own layouts from one convolution or pooling to the next (the conv model's step
 * went from 55 to 40 ms), and only a flatten, a dense layer or the loss asks for plain ones.
 *
 * <p>Because the arrays are the graph's, the graph saves, loads, resumes and infers exactly as if
 * DL4J had taken the step. A network qualifies when it is such layers in a chain, with reshapes
 * between them and a loss layer at the end, without dropout, regularisation or gradient
 * clipping; {@link #of} checks that, and {@link GraphEngine} checks on the first batch that this
 * step's forward pass gives DL4J's output.
 *
 * <p>Mean squared error is computed on the heap in one loop the JIT vectorises, fused with a
 * sigmoid output's derivative: DL4J's loss and sigmoid derivative take eight array operations.
 */
final class DirectTrainingStep {
    /** Batch sizes whose arrays are kept; a run uses two (full batches and the last one). */
    private static final int KEPT_BATCH_SIZES = 4;

    private final ComputationGraph graph;
    /** Makes the stages, once for each batch size, so that each size keeps its arrays between steps. */
    private final List<Supplier<Stage>> recipe;
    private final ILossFunction loss;
    private final INDArray parameters;
    private final INDArray gradients;
    private float[] prediction = new float[0];
    private float[] target = new float[0];
    // ND4J frees native memory only when the collector finds the arrays' Java objects, so arrays
    // made afresh each epoch for the short last batch would pile up outside the heap.
    private final Map<Long, Pass> passes = new HashMap<>();
    // Inference chains by batch size, while oneDNN's agree with the stages (checked on first use).
    private final Map<Long, OneDnnInference> chains = new HashMap<>();
    private boolean chainsAgree = OneDnn.available();
    private boolean chainChecked;

    private DirectTrainingStep(ComputationGraph graph, List<Supplier<Stage>> recipe, ILossFunction loss) {
        this.graph = graph;
        this.recipe = recipe;
        this.loss = loss;
        this.parameters = graph.params();
        // The same values in the parameters' shape (DL4J keeps one as a vector, the other as a row).
        this.gradients = graph.getGradientsViewArray().reshape(parameters.shape());
    }

    /**
     * The step for {@code graph} on inputs of {@code sampleShape} (one sample, the engine's
     * layout), or empty when the graph has something this step does not compute.
     */
    static Optional<DirectTrainingStep> of(ComputationGraph graph, long[] sampleShape) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (graph.getGradientsViewArray() == null) {
            graph.initGradientsView();
        }
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1
                || graph.params().dataType() != DataType.FLOAT) {
            return Optional.empty();
        }
        Map<String, INDArray> activations;
        try {
            activations = graph.feedForward(new INDArray[] {Nd4j.zeros(DataType.FLOAT, withBatch(1, sampleShape))}, false, false);
        } catch (RuntimeException e) {
            return Optional.empty(); // not a shape this graph takes; DL4J's fit will say why
        } finally {
            graph.clear();
        }
        List<Supplier<Stage>> recipe = new ArrayList<>();
        boolean hasWeights = false;
        ILossFunction loss = null;
        String previous = conf.getNetworkInputs().get(0);
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex vertex = conf.getVertices().get(name);
            if (vertex == null) {
                continue; // the network input
            }
            List<String> inputs = conf.getVertexInputs().get(name);
            if (loss != null || inputs.size() != 1 || !inputs.get(0).equals(previous)) {
                return Optional.empty(); // not a chain, or something after the loss
            }
            previous = name;
            if (vertex instanceof PreprocessorVertex || vertex instanceof ReshapeVertex) {
                long[] shape = activations.get(name).shape();
                long[] sample = java.util.Arrays.copyOfRange(shape, 1, shape.length);
                recipe.add(() -> new Reshape(sample));
                continue;
            }
            if (!(vertex instanceof LayerVertex layerVertex)) {
                return Optional.empty();
            }
            org.deeplearning4j.nn.conf.layers.Layer layer = layerVertex.getLayerConf().getLayer();
            if (layer.getIDropout() != null) {
                return Optional.empty();
            }
            if (layerVertex.getPreProcessor() != null && !(layer instanceof LossLayer || layer instanceof DenseLayer)) {
                return Optional.empty(); // only flattening, which a dense layer and the loss do anyway
            }
            if (layer instanceof LossLayer lossLayer && lossLayer.getActivationFn() instanceof ActivationIdentity) {
                loss = lossLayer.getLossFn();
                continue;
            }
            if (layer instanceof BaseLayer weighted && !trainsPlainly(weighted)) {
                return Optional.empty();
            }
            Layer trained = graph.getLayer(name);
            Stage stage = stage(trained, layer);
            if (stage == null) {
                return Optional.empty();
            }
            hasWeights |= stage instanceof Weighted;
            recipe.add(() -> stage(trained, layer));
        }
        if (loss == null || !hasWeights) {
            return Optional.empty();
        }
        return Optional.of(new DirectTrainingStep(graph, recipe, loss));
    }

    /** Without what this step leaves out: weight noise, regularisation, gradient clipping. */
    private static boolean trainsPlainly(BaseLayer layer) {
        return layer.getWeightNoise() == null && isEmpty(layer.getRegularization()) && isEmpty(layer.getRegularizationBias())
                && (layer.getGradientNormalization() == null || layer.getGradientNormalization() == GradientNormalization.None);
    }

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }

    private static long[] withBatch(long n, long[] sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = n;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return shape;
    }

    private static Stage stage(Layer trained, org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf instanceof Convolution1DLayer || conf instanceof Subsampling1DLayer) {
            return null; // sequences [n, F, T]: their 2-D parents' ops would read them as images
        }
        if (conf instanceof DenseLayer dense) {
            return dense.hasBias() && !dense.hasLayerNorm() ? new Dense(new Params(trained), dense.getActivationFn()) : null;
        }
        if (conf instanceof Deconvolution2D deconv) {
            int[] k = deconv.getKernelSize();
            int[] s = deconv.getStride();
            int[] p = deconv.getPadding();
            boolean same = deconv.getConvolutionMode() == ConvolutionMode.Same;
            if (!deconv.hasBias() || k[0] < s[0] || k[1] < s[1] || !same && (p[0] != 0 || p[1] != 0)
                    || deconv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                return null;
            }
            return new Deconv(new Params(trained), k, s, same, deconv.getActivationFn());
        }
        if (conf instanceof ConvolutionLayer conv) {
            int[] d = conv.getDilation();
            if (!conv.hasBias() || d[0] != 1 || d[1] != 1 || conv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                return null;
            }
            boolean same = conv.getConvolutionMode() == ConvolutionMode.Same;
            return new Conv(new Params(trained), conv.getKernelSize(), conv.getStride(), same ? new int[] {0, 0} : conv.getPadding(),
                    same, conv.getActivationFn());
        }
        if (conf instanceof SubsamplingLayer pool) {
            int[] d = pool.getDilation();
            if (pool.getPoolingType() != PoolingType.MAX || d[0] != 1 || d[1] != 1
                    || pool.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                return null;
            }
            boolean same = pool.getConvolutionMode() == ConvolutionMode.Same;
            return new MaxPool(pool.getKernelSize(), pool.getStride(), same ? new int[] {0, 0} : pool.getPadding(), same);
        }
        if (conf instanceof Upsampling2D upsampling) {
            int[] size = upsampling.getSize();
            return upsampling.getFormat() == CNN2DFormat.NCHW ? new UpSample(size[0], size[1]) : null;
        }
        return null;
    }

    /**
     * This step's reconstruction of {@code input} (in the engine's layout), in training mode,
     * flattened as the loss layer sees it: what {@link GraphEngine} compares with DL4J's.
     */
    INDArray forward(INDArray input) {
        return flat(forwardPass(pass(input.size(0)), input)).dup();
    }

    /**
     * The reconstruction of {@code input} for inference, flattened as {@link #forward}'s: through
     * one chain of oneDNN primitives ({@link OneDnnInference}) when every layer has one, else the
     * stages' forward pass. A chain's first result is checked against the stages'; if they
     * disagree, inference stays with the stages.
     */
    INDArray infer(INDArray input) {
        OneDnnInference chain = chainsAgree ? chain(input.shape()) : null;
        if (chain == null) {
            return forward(input);
        }
        INDArray result = flat(chain.apply(input));
        if (!chainChecked) {
            chainChecked = true;
            INDArray expected = forward(input);
            double scale = Math.max(1, expected.amaxNumber().doubleValue());
            if (!java.util.Arrays.equals(expected.shape(), result.shape())
                    || expected.sub(result).amaxNumber().doubleValue() > 1e-4 * scale) {
                chainsAgree = false;
                chains.clear();
                return expected;
            }
        }
        return result;
    }

    /** Whether inference has gone through oneDNN's chain and found it agreeing with the stages. */
    boolean infersThroughOneDnn() {
        return chainsAgree && chainChecked;
    }

    /** The chain for batches of {@code inputShape}, made on first use; null if a layer has none. */
    private OneDnnInference chain(long[] inputShape) {
        long n = inputShape[0];
        OneDnnInference chain = chains.get(n);
        if (chain != null) {
            return chain;
        }
        List<OneDnnInference.Layer> layers = new java.util.ArrayList<>();
        long[] shape = inputShape;
        for (Supplier<Stage> made : recipe) {
            OneDnnInference.Layer layer = made.get().inferenceLayer(shape);
            if (layer == null) {
                chainsAgree = false;
                return null;
            }
            layers.add(layer);
            shape = layer.outputShape(shape);
        }
        if (chains.size() >= KEPT_BATCH_SIZES) {
            chains.clear();
        }
        chain = new OneDnnInference(layers, inputShape);
        chains.put(n, chain);
        return chain;
    }


    /**
     * One step on {@code input} (the engine's layout) and {@code labels} ({@code [n, features]},
     * row-major): {@link #computeGradients}, DL4J's updater blocks, then the parameters; the
     * iteration count advances as DL4J's own {@code fit} would.
     *
     * @return the loss before the step, averaged as DL4J's score is (without regularisation)
     */
    double fit(INDArray input, INDArray labels) {
        double score = computeGradients(input, labels);
        ComputationGraphConfiguration conf = graph.getConfiguration();
        int iteration = conf.getIterationCount();
        for (UpdaterBlock block : graph.getUpdater(true).getUpdaterBlocks()) {
            block.update(iteration, conf.getEpochCount());
        }
        parameters.subi(gradients);
        conf.setIterationCount(iteration + 1);
        return score;
    }

    /**
     * The gradient of the batch's mean loss, written into the graph's gradient array (each
     * layer's {@code getGradientsViewArray()}); parameters and optimizer state stay as they are.
     *
     * @return the loss, averaged as DL4J's score is (without regularisation)
     */
    double computeGradients(INDArray input, INDArray labels) {
        long n = input.size(0);
        Pass pass = pass(n);
        List<Stage> stages = pass.stages();
        INDArray output = flat(forwardPass(pass, input));
        INDArray lossGradient = pass.lossGradient(output.shape());
        int last = lastWeighted(stages);
        Weighted lastLayer = (Weighted) stages.get(last);
        double score;
        boolean atPreActivation = false;
        if (loss instanceof LossMSE && output.length() <= Integer.MAX_VALUE) {
            atPreActivation = lastLayer.activation().function() instanceof ActivationSigmoid;
            score = squaredErrorGradient(output, labels, lossGradient, n, atPreActivation);
        } else {
            score = loss.computeScore(labels, output, new ActivationIdentity(), null, true);
            // DL4J's loss gradients are per sample; its updater then divides by the batch size, as this does.
            lossGradient.assign(loss.computeGradient(labels, output, new ActivationIdentity(), null)).divi(n);
        }
        // From the loss layer's flat view back through its reshapes, then through the layers.
        Tensor gradient = Tensor.plain(lossGradient);
        for (int i = stages.size() - 1; i >= 0; i--) {
            boolean needInputGradient = i > 0;
            gradient = i == last && atPreActivation
                    ? lastLayer.backwardFromPreActivation(gradient, needInputGradient)
                    : stages.get(i).backward(gradient, needInputGradient);
        }
        return score;
    }

    /** Index of the last layer with weights: stages after it are reshapes, the loss layer's view. */
    private static int lastWeighted(List<Stage> stages) {
        for (int i = stages.size() - 1; i >= 0; i--) {
            if (stages.get(i) instanceof Weighted) {
                return i;
            }
        }
        throw new IllegalStateException("no weighted layer");
    }

    private static INDArray forwardPass(Pass pass, INDArray input) {
        Tensor x = Tensor.plain(input);
        for (Stage stage : pass.stages()) {
            x = stage.forward(x);
        }
        return x.plain();
    }

    /** The stages and loss gradient kept for batches of {@code n}. */
    private Pass pass(long n) {
        Pass pass = passes.get(n);
        if (pass == null) {
            if (passes.size() >= KEPT_BATCH_SIZES) {
                passes.clear();
            }
            pass = new Pass(recipe.stream().map(Supplier::get).toList());
            passes.put(n, pass);
        }
        return pass;
    }

    /** One batch size's stages, with their arrays, and its loss gradient. */
    private static final class Pass {
        private final List<Stage> stages;
        private INDArray lossGradient;

        Pass(List<Stage> stages) {
            this.stages = stages;
        }

        List<Stage> stages() {
            return stages;
        }

        INDArray lossGradient(long[] shape) {
            if (lossGradient == null) {
                lossGradient = Nd4j.create(DataType.FLOAT, shape, 'c');
            }
            return lossGradient;
        }
    }

    private static INDArray flat(INDArray array) {
        long n = array.size(0);
        return array.reshape('c', n, array.length() / n);
    }

    /**
     * Mean squared error of {@code output} against {@code labels}, with its gradient (divided by
     * the batch size, as DL4J's updater would) written into {@code gradient}; times the sigmoid's
     * derivative {@code a (1 - a)} when {@code throughSigmoid}, giving the gradient at the
     * pre-activation.
     */
    private double squaredErrorGradient(INDArray output, INDArray labels, INDArray gradient, long n,
            boolean throughSigmoid) {
        int length = (int) output.length();
        if (prediction.length != length) {
            prediction = new float[length];
            target = new float[length];
        }
        read(output, prediction);
        read(labels, target);
        double features = (double) length / n;
        float scale = (float) (2.0 / features / n);
        double sum = 0;
        float[] p = prediction;
        float[] t = target;
        for (int i = 0; i < length; i++) {
            float difference = p[i] - t[i];
            sum += difference * difference;
            float g = scale * difference;
            p[i] = throughSigmoid ? g * p[i] * (1 - p[i]) : g;
        }
        write(prediction, gradient);
        return sum / features / n;
    }

    /** Copies a float array's values, in its own layout, onto the heap. */
    private static void read(INDArray array, float[] into) {
        requireDense(array);
        ((FloatPointer) array.data().addressPointer()).get(into, 0, into.length);
    }

    private static void write(float[] from, INDArray array) {
        requireDense(array);
        ((FloatPointer) array.data().addressPointer()).put(from, 0, from.length);
    }

    private static void requireDense(INDArray array) {
        if (array.dataType() != DataType.FLOAT || array.elementWiseStride() != 1 || array.ordering() != 'c') {
            throw new IllegalArgumentException("expected a row-major float array, found " + array.shapeInfoToString());
        }
    }

    /**
     * The NCHW output shape of a convolution or pooling window over {@code in}, from libnd4j's
     * integer arguments (kernel, stride, padding, dilation 1, then whether SAME).
     */
    private static long[] windowedShape(long[] in, long channels, int[] arguments) {
        long h;
        long w;
        if (arguments[8] == 1) {
            h = (in[2] + arguments[2] - 1) / arguments[2];
            w = (in[3] + arguments[3] - 1) / arguments[3];
        } else {
            h = (in[2] + 2L * arguments[4] - arguments[0]) / arguments[2] + 1;
            w = (in[3] + 2L * arguments[5] - arguments[1]) / arguments[3] + 1;
        }
        return new long[] {in[0], channels, h, w};
    }

    /**
     * The top-left and bottom-right padding of a window of libnd4j's integer arguments from
     * {@code in} to {@code out}: for {@code SAME}, DL4J's and Keras', the odd one at the bottom or
     * right; else the given padding before and whatever the output needs after.
     */
    private static int[][] padding(long[] in, long[] out, int[] arguments) {
        int[] before = new int[2];
        int[] after = new int[2];
        for (int axis = 0; axis < 2; axis++) {
            int kernel = arguments[axis];
            int stride = arguments[2 + axis];
            if (arguments[8] == 1) {
                long total = Math.max(0, (out[2 + axis] - 1) * stride + kernel - in[2 + axis]);
                before[axis] = (int) (total / 2);
                after[axis] = (int) (total - total / 2);
            } else {
                before[axis] = arguments[4 + axis];
                after[axis] = (int) ((out[2 + axis] - 1) * stride + kernel - in[2 + axis] - before[axis]);
            }
        }
        return new int[][] {before, after};
    }

    private static INDArray buffer(long... shape) {
        return Nd4j.create(DataType.FLOAT, shape, 'c');
    }

    private static DynamicCustomOp op(String name, INDArray[] inputs, INDArray[] outputs, int... integerArguments) {
        return DynamicCustomOp.builder(name).addInputs(inputs).addOutputs(outputs).addIntegerArguments(integerArguments).build();
    }

    /** One layer's forward and backward pass; tensors it returns stay valid until its next call. */
    private interface Stage {
        Tensor forward(Tensor input);

        /** This stage as a layer of a oneDNN inference chain on inputs of {@code inputShape}; null if none. */
        OneDnnInference.Layer inferenceLayer(long[] inputShape);

        /** The gradient at this stage's input, from the gradient at its output; null if not needed. */
        Tensor backward(Tensor outputGradient, boolean needInputGradient);
    }

    /** A stage with parameters and an activation. */
    private abstract static class Weighted implements Stage {
        private final ActivationStep activation;

        Weighted(IActivation function) {
            this.activation = new ActivationStep(function);
        }

        ActivationStep activation() {
            return activation;
        }

        /** Whether oneDNN computes this layer's activation and its derivative. */
        boolean activationFuses() {
            return OneDnn.computes(activation.function());
        }

        /** The layer's output: its linear part, then its activation, on plain values. */
        @Override
        public Tensor forward(Tensor input) {
            return Tensor.plain(activation.forward(linear(input.plain())));
        }

        @Override
        public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
            return backwardFromPreActivation(Tensor.plain(activation.backward(outputGradient.plain())), needInputGradient);
        }

        /** The layer's output before its activation, into an array it keeps. */
        abstract INDArray linear(INDArray input);

        /** Parameter gradients into the graph's arrays, and the input gradient if needed (else null). */
        abstract Tensor backwardFromPreActivation(Tensor preActivationGradient, boolean needInputGradient);
    }

    /**
     * An activation and its derivative. ReLU and identity work in place, since ReLU's derivative
     * reads as well from its output as from its input; others keep the pre-activation.
     */
    private static final class ActivationStep {
        private final IActivation function;
        private final boolean inPlace;
        private INDArray preActivation;
        private INDArray output;

        ActivationStep(IActivation function) {
            this.function = function;
            this.inPlace = function instanceof ActivationIdentity || function instanceof ActivationReLU relu
                    && relu.getMax() == null && (relu.getThreshold() == null || relu.getThreshold() == 0)
                    && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0);
        }

        IActivation function() {
            return function;
        }

        INDArray forward(INDArray z) {
            preActivation = z;
            if (inPlace) {
                output = function.getActivation(z, true);
                return output;
            }
            if (output == null || !java.util.Arrays.equals(output.shape(), z.shape())) {
                output = buffer(z.shape());
            }
            output.assign(z);
            return function.getActivation(output, true);
        }

        /** The gradient at the pre-activation, from the gradient at the output. */
        INDArray backward(INDArray outputGradient) {
            INDArray gradient = outputGradient.reshape('c', preActivation.shape());
            if (function instanceof ActivationIdentity) {
                return gradient;
            }
            if (inPlace) {
                // max(0, z) > 0 exactly where z > 0; the output is not read again, so it takes the result.
                Nd4j.exec(new RectifiedLinearDerivative(output, gradient, output));
                return output;
            }
            return function.backprop(preActivation, gradient).getFirst();
        }
    }

    /** The graph's parameter and gradient views of one layer. */
    private record Params(INDArray weights, INDArray bias, INDArray weightGradient, INDArray biasGradient) {
        Params(Layer layer) {
            this(layer, layer.conf().getLayer().initializer().getGradientsFromFlattened(layer.conf(),
                    layer.getGradientsViewArray()));
        }

        private Params(Layer layer, Map<String, INDArray> gradientViews) {
            this(layer.getParam("W"), layer.getParam("b"), gradientViews.get("W"), gradientViews.get("b"));
        }
    }

    /**
     * A flatten or unflatten vertex, read as a row-major reshape (GraphEngine checks the result
     * against DL4J's on the first batch).
     */
    private static final class Reshape implements Stage {
        private final long[] sampleShape;
        private long[] inputShape;

        Reshape(long[] sampleShape) {
            this.sampleShape = sampleShape;
        }

        @Override
        public Tensor forward(Tensor input) {
            INDArray values = input.plain();
            inputShape = values.shape();
            return Tensor.plain(values.reshape('c', withBatch(values.size(0), sampleShape)));
        }

        @Override
        public OneDnnInference.Layer inferenceLayer(long[] inputShape) {
            return new OneDnnInference.Reshape(sampleShape);
        }

        @Override
        public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
            return Tensor.plain(outputGradient.plain().reshape('c', inputShape));
        }
    }

    private static final class Dense extends Weighted {
        private final Params params;
        private final INDArray bias;
        private final INDArray biasGradientRow;
        private INDArray input;
        private INDArray preActivation;
        private INDArray inputGradient;
        private INDArray ones;
        private OneDnnMatmul forwardProduct;
        private OneDnnMatmul weightGradientProduct;
        private OneDnnMatmul biasGradientProduct;
        private OneDnnMatmul inputGradientProduct;
        // The activation inside oneDNN's product (a post-op) and its derivative from the output,
        // instead of libnd4j ops: each costs 10 to 30 us on these small arrays.
        private final boolean activationInside;
        private OneDnnContext context;
        private OneDnnContext.Primitive activationGradient;
        private INDArray preActivationGradient;

        Dense(Params params, IActivation activation) {
            super(activation);
            this.params = params;
            this.bias = params.bias.reshape(params.bias.length());
            this.biasGradientRow = params.biasGradient.reshape('c', 1, params.biasGradient.length());
            this.activationInside = OneDnn.available() && OneDnn.computes(activation);
        }

        /** The activated output: through oneDNN with the activation as a post-op where it computes it. */
        @Override
        public Tensor forward(Tensor in) {
            if (!activationInside) {
                return super.forward(in);
            }
            prepare(in.plain());
            forwardProduct.multiply(input, params.weights, params.bias, preActivation);
            return Tensor.plain(preActivation);
        }

        @Override
        public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
            if (!activationInside) {
                return super.backward(outputGradient, needInputGradient);
            }
            if (activationGradient == null) {
                return backwardFromPreActivation(outputGradient, needInputGradient);
            }
            // preActivation holds the activated output here, which is what the derivative reads.
            activationGradient.run(preActivation, outputGradient.plain().reshape('c', preActivation.shape()),
                    preActivationGradient);
            context.await();
            return backwardFromPreActivation(Tensor.plain(preActivationGradient), needInputGradient);
        }

        @Override
        public OneDnnInference.Layer inferenceLayer(long[] inputShape) {
            return activationFuses() && params.weights.ordering() == 'f'
                    ? new OneDnnInference.Dense(params.weights, params.bias, activation().function())
                    : null;
        }

        /** Takes {@code in} as the input, as rows, and makes the arrays and products for its batch size once. */
        private void prepare(INDArray in) {
            long n = in.size(0);
            input = in.rank() == 2 ? in : in.reshape('c', n, in.length() / n);
            if (preActivation == null || preActivation.size(0) != n) {
                long inputs = params.weights.size(0);
                long outputs = params.weights.size(1);
                preActivation = buffer(n, outputs);
                inputGradient = buffer(n, inputs);
                ones = Nd4j.ones(DataType.FLOAT, 1, n);
                if (OneDnn.available()) {
                    // DL4J's weights and their gradient are column-major [in, out]: row-major [out, in].
                    forwardProduct = new OneDnnMatmul(n, inputs, outputs, false, true, true,
                            activationInside ? activation().function() : null);
                    weightGradientProduct = new OneDnnMatmul(outputs, n, inputs, true, false, false);
                    biasGradientProduct = new OneDnnMatmul(1, n, outputs, false, false, false);
                    inputGradientProduct = new OneDnnMatmul(n, outputs, inputs, false, false, false);
                }
                if (activationInside && OneDnn.eltwise(activation().function()) != null) {
                    context = new OneDnnContext();
                    activationGradient = context.activationGradient(activation().function(),
                            OneDnnContext.plain(preActivation.shape()));
                    preActivationGradient = buffer(n, outputs);
                }
            }
        }

        @Override
        INDArray linear(INDArray in) {
            prepare(in);
            if (forwardProduct != null) {
                forwardProduct.multiply(input, params.weights, params.bias, preActivation);
                return preActivation;
            }
            Nd4j.gemm(input, params.weights, preActivation, false, false, 1.0, 0.0);
            // libnd4j's bias op: 13 us on [64, 128] against 24 for a broadcast row addition.
            Nd4j.exec(new BiasAdd(preActivation, bias, preActivation, false));
            return preActivation;
        }

        @Override
        Tensor backwardFromPreActivation(Tensor gradient, boolean needInputGradient) {
            INDArray delta = gradient.plain().reshape('c', preActivation.shape());
            if (forwardProduct != null) {
                // The weight gradient's transpose, delta^T x, is its column-major [in, out] layout.
                weightGradientProduct.multiply(delta, input, null, params.weightGradient);
                biasGradientProduct.multiply(ones, delta, null, biasGradientRow);
                if (!needInputGradient) {
                    return null;
                }
                inputGradientProduct.multiply(delta, params.weights, null, inputGradient);
                return Tensor.plain(inputGradient);
            }
            Nd4j.gemm(input, delta, params.weightGradient, true, false, 1.0, 0.0);
            // The column sums as a product with ones: one BLAS call instead of a reduction op.
            Nd4j.gemm(ones, delta, biasGradientRow, false, false, 1.0, 0.0);
            if (!needInputGradient) {
                return null;
            }
            Nd4j.gemm(delta, params.weights, inputGradient, false, true, 1.0, 0.0);
            return Tensor.plain(inputGradient);
        }
    }

    /**
     * A convolution or transposed convolution: through oneDNN ({@link OneDnnConvolution}), its
     * activation included and in the layouts oneDNN chooses, where oneDNN computes the activation;
     * else the linear part through oneDNN or libnd4j and the activation on plain values.
     */
    private abstract static class Convolutional extends Weighted {
        final Params params;
        final INDArray bias;
        final INDArray biasGradient;
        OneDnnConvolution oneDnn;
        private long[] inputShape;
        private boolean activationInside;

        Convolutional(Params params, IActivation activation) {
            super(activation);
            this.params = params;
            this.bias = params.bias.reshape(params.bias.length());
            this.biasGradient = params.biasGradient.reshape(params.biasGradient.length());
        }

        @Override
        public Tensor forward(Tensor in) {
            if (OneDnn.available() && activationFuses()) {
                return prepared(in.shape(), true).forward(in, params.weights, bias);
            }
            return super.forward(in);
        }

        @Override
        public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
            if (oneDnn != null && activationInside) {
                return oneDnn.backward(outputGradient, false, params.weights, params.weightGradient, biasGradient,
                        needInputGradient);
            }
            return super.backward(outputGradient, needInputGradient);
        }

        /** The linear part through oneDNN, on plain values. */
        INDArray oneDnnLinear(INDArray in) {
            return prepared(in.shape(), false).forward(Tensor.plain(in), params.weights, bias).plain();
        }

        /** oneDNN's layer for inputs of {@code in}, with the activation inside it or not; made on first use. */
        private OneDnnConvolution prepared(long[] in, boolean withActivation) {
            if (oneDnn == null || !java.util.Arrays.equals(inputShape, in) || activationInside != withActivation) {
                oneDnn = oneDnnLayer(in, withActivation ? activation().function() : null);
                inputShape = in.clone();
                activationInside = withActivation;
            }
            return oneDnn;
        }

        /** A new oneDNN layer for inputs of {@code in}, computing {@code activation} (null: none). */
        abstract OneDnnConvolution oneDnnLayer(long[] in, IActivation activation);
    }

    /** A 2-D convolution, NCHW, with DL4J's {@code [out, in, kH, kW]} kernel read as it is. */
    private static final class Conv extends Convolutional {
        private static final int KERNEL_OUT_IN_H_W = 1;
        private final int[] arguments;
        private INDArray input;
        private INDArray preActivation;
        private INDArray inputGradient;

        Conv(Params params, int[] kernel, int[] stride, int[] padding, boolean same, IActivation activation) {
            super(params, activation);
            this.arguments = new int[] {kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], 1, 1,
                    same ? 1 : 0, 0, KERNEL_OUT_IN_H_W};
        }

        @Override
        INDArray linear(INDArray in) {
            input = in;
            if (OneDnn.available()) {
                return oneDnnLinear(in);
            }
            long[] out = windowedShape(in.shape(), params.weights.size(0), arguments);
            if (preActivation == null || !java.util.Arrays.equals(preActivation.shape(), out)) {
                preActivation = buffer(out);
                inputGradient = buffer(in.shape());
            }
            Nd4j.exec(op("conv2d", new INDArray[] {in, params.weights, bias}, new INDArray[] {preActivation}, arguments));
            return preActivation;
        }

        @Override
        OneDnnConvolution oneDnnLayer(long[] in, IActivation activation) {
            long[] out = windowedShape(in, params.weights.size(0), arguments);
            int[][] padding = padding(in, out, arguments);
            return new OneDnnConvolution(false, in, out, params.weights.shape(), new int[] {arguments[2], arguments[3]},
                    padding[0], padding[1], activation);
        }

        @Override
        public OneDnnInference.Layer inferenceLayer(long[] inputShape) {
            if (!activationFuses()) {
                return null;
            }
            long[] out = windowedShape(inputShape, params.weights.size(0), arguments);
            int[][] padding = padding(inputShape, out, arguments);
            return new OneDnnInference.Convolution(false, params.weights, params.bias, out,
                    new int[] {arguments[2], arguments[3]}, padding[0], padding[1], activation().function());
        }

        @Override
        Tensor backwardFromPreActivation(Tensor gradient, boolean needInputGradient) {
            if (oneDnn != null) {
                return oneDnn.backward(gradient, true, params.weights, params.weightGradient, biasGradient,
                        needInputGradient);
            }
            INDArray delta = gradient.plain().reshape('c', preActivation.shape());
            Nd4j.exec(op("conv2d_bp", new INDArray[] {input, params.weights, bias, delta},
                    new INDArray[] {inputGradient, params.weightGradient, biasGradient}, arguments));
            return needInputGradient ? Tensor.plain(inputGradient) : null;
        }
    }

    /**
     * A 2-D transposed convolution, NCHW, with DL4J's {@code [in, out, kH, kW]} kernel. A
     * {@code SAME} one is a {@code VALID} one cropped to {@code n * s}: of the {@code k - s} values
     * too many, half (rounded down) from the start and the rest from the end, as libnd4j's
     * {@code SAME} deconvolution and Keras do (for a 3x3 kernel of stride 2, the last row and
     * column). Through libnd4j its gradient is the cropped gradient padded back with zeros, since
     * libnd4j hands oneDNN only {@code VALID} ones; oneDNN takes the crop as the padding of the
     * convolution it transposes.
     */
    private static final class Deconv extends Convolutional {
        private static final int KERNEL_IN_OUT_H_W = 1;
        private final int[] kernel;
        private final int[] stride;
        private final boolean same;
        private final int[] arguments;
        private INDArray input;
        private INDArray valid;
        private INDArray validGradient;
        private INDArray validCrop;
        private INDArray cropped;
        private INDArray croppedGradient;
        private INDArray inputGradient;

        Deconv(Params params, int[] kernel, int[] stride, boolean same, IActivation activation) {
            super(params, activation);
            this.kernel = kernel;
            this.stride = stride;
            this.same = same;
            this.arguments = new int[] {kernel[0], kernel[1], stride[0], stride[1], 0, 0, 1, 1, 0, 0, KERNEL_IN_OUT_H_W};
        }

        @Override
        INDArray linear(INDArray in) {
            input = in;
            if (OneDnn.available()) {
                return oneDnnLinear(in);
            }
            long[] validShape = {in.size(0), params.weights.size(1),
                    (in.size(2) - 1) * stride[0] + kernel[0], (in.size(3) - 1) * stride[1] + kernel[1]};
            if (valid == null || !java.util.Arrays.equals(valid.shape(), validShape)) {
                valid = buffer(validShape);
                validGradient = buffer(validShape);
                inputGradient = buffer(in.shape());
                if (same) {
                    int[][] padding = samePadding();
                    INDArrayIndex[] crop = {NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.interval(padding[0][0], padding[0][0] + in.size(2) * stride[0]),
                            NDArrayIndex.interval(padding[0][1], padding[0][1] + in.size(3) * stride[1])};
                    cropped = buffer(in.size(0), params.weights.size(1), in.size(2) * stride[0], in.size(3) * stride[1]);
                    croppedGradient = validGradient.get(crop);
                    validCrop = valid.get(crop);
                }
            }
            Nd4j.exec(op("deconv2d", new INDArray[] {in, params.weights, bias}, new INDArray[] {valid}, arguments));
            if (!same) {
                return valid;
            }
            // A dense copy, as the activation and the next layer's op want.
            return cropped.assign(validCrop);
        }

        @Override
        public OneDnnInference.Layer inferenceLayer(long[] in) {
            if (!activationFuses()) {
                return null;
            }
            long height = same ? in[2] * stride[0] : (in[2] - 1) * stride[0] + kernel[0];
            long width = same ? in[3] * stride[1] : (in[3] - 1) * stride[1] + kernel[1];
            int[][] padding = samePadding();
            return new OneDnnInference.Convolution(true, params.weights, params.bias,
                    new long[] {in[0], params.weights.size(1), height, width}, stride, padding[0], padding[1],
                    activation().function());
        }

        @Override
        OneDnnConvolution oneDnnLayer(long[] in, IActivation activation) {
            long height = same ? in[2] * stride[0] : (in[2] - 1) * stride[0] + kernel[0];
            long width = same ? in[3] * stride[1] : (in[3] - 1) * stride[1] + kernel[1];
            long[] out = {in[0], params.weights.size(1), height, width};
            int[][] padding = samePadding();
            return new OneDnnConvolution(true, in, out, params.weights.shape(), stride, padding[0], padding[1], activation);
        }

        /**
         * The crop of a {@code SAME} layer, as oneDNN's padding before and after (none for
         * {@code VALID}): {@code k - s} in all, half of it (rounded down) before.
         */
        private int[][] samePadding() {
            int[] before = new int[2];
            int[] after = new int[2];
            if (same) {
                for (int axis = 0; axis < 2; axis++) {
                    int total = kernel[axis] - stride[axis];
                    before[axis] = total / 2;
                    after[axis] = total - total / 2;
                }
            }
            return new int[][] {before, after};
        }

        @Override
        Tensor backwardFromPreActivation(Tensor preActivationGradient, boolean needInputGradient) {
            if (oneDnn != null) {
                return oneDnn.backward(preActivationGradient, true, params.weights, params.weightGradient, biasGradient,
                        needInputGradient);
            }
            INDArray gradient = preActivationGradient.plain();
            INDArray outputGradient;
            if (same) {
                // The cropped-off border stays zero: only the crop is ever written.
                croppedGradient.assign(gradient.reshape('c', cropped.shape()));
                outputGradient = validGradient;
            } else {
                outputGradient = gradient.reshape('c', valid.shape());
            }
            Nd4j.exec(op("deconv2d_bp", new INDArray[] {input, params.weights, bias, outputGradient},
                    new INDArray[] {inputGradient, params.weightGradient, biasGradient}, arguments));
            return needInputGradient ? Tensor.plain(inputGradient) : null;
        }
    }

    /** Max pooling, NCHW: through oneDNN in the layout the previous layer left, else libnd4j's op. */
    private static final class MaxPool implements Stage {
        private final int[] arguments;
        private INDArray input;
        private INDArray output;
        private INDArray inputGradient;
        private OneDnnPooling oneDnn;
        private long[] inputShape;

        MaxPool(int[] kernel, int[] stride, int[] padding, boolean same) {
            // The tenth argument is unused by max pooling; the last says NCHW.
            this.arguments = new int[] {kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], 1, 1,
                    same ? 1 : 0, 0, 0};
        }

        @Override
        public OneDnnInference.Layer inferenceLayer(long[] in) {
            long[] out = windowedShape(in, in[1], arguments);
            int[][] padding = padding(in, out, arguments);
            return new OneDnnInference.MaxPooling(new int[] {arguments[0], arguments[1]},
                    new int[] {arguments[2], arguments[3]}, padding[0], padding[1], out);
        }

        @Override
        public Tensor forward(Tensor in) {
            if (OneDnn.available()) {
                if (oneDnn == null || !java.util.Arrays.equals(inputShape, in.shape())) {
                    long[] out = windowedShape(in.shape(), in.shape()[1], arguments);
                    int[][] padding = padding(in.shape(), out, arguments);
                    oneDnn = new OneDnnPooling(in.shape(), out, new int[] {arguments[0], arguments[1]},
                            new int[] {arguments[2], arguments[3]}, padding[0], padding[1]);
                    inputShape = in.shape().clone();
                }
                return oneDnn.forward(in);
            }
            input = in.plain();
            long[] out = windowedShape(input.shape(), input.size(1), arguments);
            if (output == null || !java.util.Arrays.equals(output.shape(), out)) {
                output = buffer(out);
                inputGradient = buffer(input.shape());
            }
            Nd4j.exec(op("maxpool2d", new INDArray[] {input}, new INDArray[] {output}, arguments));
            return Tensor.plain(output);
        }

        @Override
        public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
            if (oneDnn != null) {
                return oneDnn.backward(outputGradient);
            }
            Nd4j.exec(op("maxpool2d_bp", new INDArray[] {input, outputGradient.plain().reshape('c', output.shape())},
                    new INDArray[] {inputGradient}, arguments));
            return Tensor.plain(inputGradient);
        }
    }

    /**
     * Nearest-neighbour upsampling by whole factors, NCHW, through libnd4j's ops on plain values
     * (a convolution after it takes them back into oneDNN's layout); its gradient sums each
     * block's gradients. The inference chain has no such layer, so inference keeps to the stages.
     */
    private static final class UpSample implements Stage {
        private static final int NCHW = 1;
        private final int height;
        private final int width;
        private INDArray input;
        private INDArray output;
        private INDArray inputGradient;

        UpSample(int height, int width) {
            this.height = height;
            this.width = width;
        }

        @Override
        public OneDnnInference.Layer inferenceLayer(long[] inputShape) {
            return null;
        }

        @Override
        public Tensor forward(Tensor in) {
            input = in.plain();
            long[] out = {input.size(0), input.size(1), input.size(2) * height, input.size(3) * width};
            if (output == null || !java.util.Arrays.equals(output.shape(), out)) {
                output = buffer(out);
                inputGradient = buffer(input.shape());
            }
            Nd4j.exec(op("upsampling2d", new INDArray[] {input}, new INDArray[] {output}, height, width, NCHW));
            return Tensor.plain(output);
        }

        @Override
        public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
            Nd4j.exec(op("upsampling2d_bp", new INDArray[] {input, outputGradient.plain().reshape('c', output.shape())},
                    new INDArray[] {inputGradient}, NCHW));
            return Tensor.plain(inputGradient);
        }
    }
}
