package dev.latent.runtime.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * One training step of a plain stack of dense layers (the seed's dense models), computed
 * straight on the graph's own parameter, gradient and optimizer-state arrays: matrix products
 * into arrays kept between steps, each layer's activation and DL4J's own loss, updater blocks and
 * optimizer, with nothing else. DL4J's {@code fit} spent more than half of each step outside the
 * arithmetic (workspaces, validation, per-layer bookkeeping): 4.5 ms a batch of 64 on the seed's
 * dense model against about 2 ms here.
 *
 * <p>Because the arrays are the graph's, the graph saves, loads, resumes and infers exactly as
 * if DL4J had taken the step. A network qualifies when it is dense layers in a chain, with
 * reshapes between them and a loss layer at the end, without dropout, regularisation or
 * gradient clipping; {@link #of} checks that, and {@link GraphEngine} checks on the first batch
 * that this step's forward pass gives DL4J's output.
 *
 * <p>Mean squared error is computed on the heap in one loop the JIT vectorises, fused with a
 * sigmoid output's derivative: DL4J's loss and sigmoid derivative take eight array operations.
 */
final class DenseTrainingStep {
    private final ComputationGraph graph;
    private final List<DenseParams> layers;
    private final ILossFunction loss;
    private final INDArray parameters;
    private final INDArray gradients;
    private final Map<Long, Buffers> buffersByBatch = new HashMap<>();
    private float[] prediction = new float[0];
    private float[] target = new float[0];

    private DenseTrainingStep(ComputationGraph graph, List<DenseParams> layers, ILossFunction loss) {
        this.graph = graph;
        this.layers = layers;
        this.loss = loss;
        this.parameters = graph.params();
        // The same values in the parameters' shape (DL4J keeps one as a vector, the other as a row).
        this.gradients = graph.getGradientsViewArray().reshape(parameters.shape());
    }

    /** The step for {@code graph}, or empty when the graph is not a plain dense stack this step computes. */
    static Optional<DenseTrainingStep> of(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (graph.getGradientsViewArray() == null) {
            graph.initGradientsView();
        }
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1
                || graph.params().dataType() != DataType.FLOAT) {
            return Optional.empty();
        }
        List<DenseParams> layers = new ArrayList<>();
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
                continue; // a reshape of row-major rows: verified against DL4J on the first batch
            }
            if (!(vertex instanceof LayerVertex layerVertex)) {
                return Optional.empty();
            }
            org.deeplearning4j.nn.conf.layers.Layer layer = layerVertex.getLayerConf().getLayer();
            if (layer.getIDropout() != null) {
                return Optional.empty();
            }
            if (layer instanceof LossLayer lossLayer && lossLayer.getActivationFn() instanceof ActivationIdentity) {
                loss = lossLayer.getLossFn();
            } else if (layer instanceof DenseLayer dense && dense.hasBias() && !dense.hasLayerNorm()
                    && dense.getWeightNoise() == null && isEmpty(dense.getRegularization())
                    && isEmpty(dense.getRegularizationBias())
                    && (dense.getGradientNormalization() == null || dense.getGradientNormalization() == GradientNormalization.None)) {
                Layer trained = graph.getLayer(name);
                Map<String, INDArray> gradientViews = DefaultParamInitializer.getInstance()
                        .getGradientsFromFlattened(trained.conf(), trained.getGradientsViewArray());
                layers.add(new DenseParams(trained.getParam(DefaultParamInitializer.WEIGHT_KEY),
                        trained.getParam(DefaultParamInitializer.BIAS_KEY),
                        gradientViews.get(DefaultParamInitializer.WEIGHT_KEY),
                        gradientViews.get(DefaultParamInitializer.BIAS_KEY), dense.getActivationFn()));
            } else {
                return Optional.empty();
            }
        }
        if (loss == null || layers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DenseTrainingStep(graph, layers, loss));
    }

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }

    /**
     * This step's reconstruction of {@code input} ({@code [n, features]}, row-major), in training
     * mode, flattened as the loss layer sees it: what {@link GraphEngine} compares with DL4J's.
     */
    INDArray forward(INDArray input) {
        Buffers buffers = buffers(input.size(0));
        return forward(input, buffers).dup();
    }

    /**
     * One step on {@code input} and {@code labels} ({@code [n, features]}, row-major): gradients
     * into the graph's gradient array, DL4J's updater blocks, then the parameters; the iteration
     * count advances as DL4J's own {@code fit} would.
     *
     * @return the loss before the step, averaged as DL4J's score is (without regularisation)
     */
    double fit(INDArray input, INDArray labels) {
        long n = input.size(0);
        Buffers buffers = buffers(n);
        INDArray output = forward(input, buffers);
        int last = layers.size() - 1;
        double score;
        INDArray delta;
        if (loss instanceof LossMSE && output.length() <= Integer.MAX_VALUE) {
            IActivation activation = layers.get(last).activation;
            boolean sigmoid = activation instanceof ActivationSigmoid;
            score = squaredErrorGradient(output, labels, buffers.lossGradient, n, sigmoid);
            delta = sigmoid ? buffers.lossGradient
                    : activation.backprop(buffers.preActivations.get(last), buffers.lossGradient).getFirst();
        } else {
            score = loss.computeScore(labels, output, new ActivationIdentity(), null, true);
            // DL4J's loss gradients are per sample; its updater then divides by the batch size, as this does.
            buffers.lossGradient.assign(loss.computeGradient(labels, output, new ActivationIdentity(), null)).divi(n);
            delta = layers.get(last).activation.backprop(buffers.preActivations.get(last), buffers.lossGradient).getFirst();
        }
        for (int i = last; i >= 0; i--) {
            DenseParams layer = layers.get(i);
            if (i < last) {
                // The gradient at this layer's output becomes the gradient at its pre-activation.
                delta = layer.activation.backprop(buffers.preActivations.get(i), delta).getFirst();
            }
            INDArray layerInput = i == 0 ? input : buffers.activations.get(i - 1);
            Nd4j.gemm(layerInput, delta, layer.weightGradient, true, false, 1.0, 0.0);
            delta.sum(layer.biasGradient, 0);
            if (i > 0) {
                INDArray next = buffers.inputGradients.get(i);
                Nd4j.gemm(delta, layer.weights, next, false, true, 1.0, 0.0);
                delta = next;
            }
        }
        ComputationGraphConfiguration conf = graph.getConfiguration();
        int iteration = conf.getIterationCount();
        for (UpdaterBlock block : graph.getUpdater(true).getUpdaterBlocks()) {
            block.update(iteration, conf.getEpochCount());
        }
        parameters.subi(gradients);
        conf.setIterationCount(iteration + 1);
        return score;
    }

    private INDArray forward(INDArray input, Buffers buffers) {
        INDArray x = input;
        for (int i = 0; i < layers.size(); i++) {
            DenseParams layer = layers.get(i);
            INDArray z = buffers.preActivations.get(i);
            Nd4j.gemm(x, layer.weights, z, false, false, 1.0, 0.0);
            z.addiRowVector(layer.bias);
            INDArray a = buffers.activations.get(i);
            a.assign(z);
            layer.activation.getActivation(a, true);
            x = a;
        }
        return x;
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

    private Buffers buffers(long n) {
        return buffersByBatch.computeIfAbsent(n, size -> {
            if (buffersByBatch.size() > 4) {
                buffersByBatch.clear();
            }
            return new Buffers(size, layers);
        });
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

    /** One dense layer's parameter and gradient views in the graph's arrays. */
    private record DenseParams(INDArray weights, INDArray bias, INDArray weightGradient, INDArray biasGradient,
            IActivation activation) {}

    /** The arrays one batch size needs, kept between steps. */
    private static final class Buffers {
        final List<INDArray> preActivations = new ArrayList<>();
        final List<INDArray> activations = new ArrayList<>();
        /** Gradient at each layer's input (the first layer's is never computed). */
        final List<INDArray> inputGradients = new ArrayList<>();
        final INDArray lossGradient;

        Buffers(long n, List<DenseParams> layers) {
            for (DenseParams layer : layers) {
                long units = layer.weights.size(1);
                preActivations.add(Nd4j.create(DataType.FLOAT, new long[] {n, units}, 'c'));
                activations.add(Nd4j.create(DataType.FLOAT, new long[] {n, units}, 'c'));
                inputGradients.add(Nd4j.create(DataType.FLOAT, new long[] {n, layer.weights.size(0)}, 'c'));
            }
            lossGradient = Nd4j.create(DataType.FLOAT, new long[] {n, layers.get(layers.size() - 1).weights.size(1)}, 'c');
        }
    }
}
