package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.withBatch;

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
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
                recipe.add(() -> new ReshapeStage(sample));
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
            hasWeights |= stage instanceof WeightedStage;
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

    private static Stage stage(Layer trained, org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf instanceof Convolution1DLayer || conf instanceof Subsampling1DLayer) {
            return null; // sequences [n, F, T]: their 2-D parents' ops would read them as images
        }
        if (conf instanceof DenseLayer dense) {
            return dense.hasBias() && !dense.hasLayerNorm() ? new DenseStage(new LayerParams(trained), dense.getActivationFn()) : null;
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
            return new DeconvStage(new LayerParams(trained), k, s, same, deconv.getActivationFn());
        }
        if (conf instanceof ConvolutionLayer conv) {
            int[] d = conv.getDilation();
            if (!conv.hasBias() || d[0] != 1 || d[1] != 1 || conv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                return null;
            }
            boolean same = conv.getConvolutionMode() == ConvolutionMode.Same;
            return new ConvStage(new LayerParams(trained), conv.getKernelSize(), conv.getStride(), same ? new int[] {0, 0} : conv.getPadding(),
                    same, conv.getActivationFn());
        }
        if (conf instanceof SubsamplingLayer pool) {
            int[] d = pool.getDilation();
            if (pool.getPoolingType() != PoolingType.MAX || d[0] != 1 || d[1] != 1
                    || pool.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                return null;
            }
            boolean same = pool.getConvolutionMode() == ConvolutionMode.Same;
            return new MaxPoolStage(pool.getKernelSize(), pool.getStride(), same ? new int[] {0, 0} : pool.getPadding(), same);
        }
        if (conf instanceof Upsampling2D upsampling) {
            int[] size = upsampling.getSize();
            return upsampling.getFormat() == CNN2DFormat.NCHW ? new UpSampleStage(size[0], size[1]) : null;
        }
        return null;
    }

    /**
     * This step's reconstruction of {@code input} (in the engine's layout), in training mode,
     * flattened as the loss layer sees it: what {@link GraphEngine} compares with DL4J's.
     */
    INDArray forward(INDArray input, boolean training) {
        return flat(forwardPass(pass(input.size(0)), input, training)).dup();
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
            return forward(input, false);
        }
        INDArray result = flat(chain.apply(input));
        if (!chainChecked) {
            chainChecked = true;
            INDArray expected = forward(input, false);
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
        INDArray output = flat(forwardPass(pass, input, true));
        INDArray lossGradient = pass.lossGradient(output.shape());
        int last = lastWeighted(stages);
        WeightedStage lastLayer = (WeightedStage) stages.get(last);
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
            if (stages.get(i) instanceof WeightedStage) {
                return i;
            }
        }
        throw new IllegalStateException("no weighted layer");
    }

    private static INDArray forwardPass(Pass pass, INDArray input, boolean training) {
        Tensor x = Tensor.plain(input);
        for (Stage stage : pass.stages()) {
            x = stage.forward(x, training);
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

}
