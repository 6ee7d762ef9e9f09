package dev.latent.runtime.engine;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.Shape;
import dev.latent.runtime.train.LossSettings;
import dev.latent.runtime.train.TrainingSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * The autoencoder as a SameDiff graph: the same layers, initial weights, optimizer and loss as
 * the layer API's {@link GraphEngine}, with its ops run as a fixed list ({@link ForwardPlan}) for
 * inference, which hands convolutions, pooling and matrix products to oneDNN on the oneDNN build
 * of the natives.
 *
 * <p>Training goes through the {@link GraphEngine} mirror's {@link DirectTrainingStep} when it
 * computes the network (the same libnd4j ops without SameDiff's session: 64 to 83 ms a batch of
 * the seed's conv model against SameDiff's 107 to 127), and SameDiff's variables are brought up
 * to the mirror's parameters before the next inference. Otherwise SameDiff trains, and the
 * mirror's parameters are brought up to SameDiff's when needed.
 *
 * <p>Two choices keep it correct there. Dense layers are a matrix product plus a bias, not
 * {@code xw_plus_b}: the oneDNN build of that op writes column-major into the arrays SameDiff
 * reuses at inference, so outputs came out transposed. A {@code SAME} transposed convolution is
 * a {@code VALID} one cropped to size, because libnd4j gives oneDNN only {@code VALID} ones.
 *
 * <p>Encoding, decoding and saving go through the mirror when the plan cannot, so saved files are
 * the layer API's and load anywhere.
 */
public final class SameDiffEngine implements Engine {
    private static final String INPUT = "input";
    private static final String LABELS = "labels";
    private static final String RECONSTRUCTION = "reconstruction";
    private static final String LOSS = "loss";
    /** Layers of the encoder are named {@code encoder.<method>} (GraphPart); the code is the last one's output. */
    private static final String ENCODER_PREFIX = "encoder.";
    private static final int CHUNK = 1024;
    /** Where {@link #save} puts SameDiff's optimizer state: one entry per variable and state array. */
    static final String UPDATER_PREFIX = "latent/engine/samediff-updater/";
    /** Where {@link #save} puts SameDiff's count of steps taken, which Adam's bias correction reads. */
    static final String ITERATION_ENTRY = "latent/engine/samediff-iteration";
    /** Native memory a run may add before the engine asks for a collection; see {@link #collectNativeGarbage}. */
    private static final long NATIVE_SLACK_BYTES = 1L << 30;

    private final GraphEngine mirror;
    private final SameDiff graph;
    private final List<ParameterLink> links;
    private final LossSettings loss;
    private final LastPrediction lastPrediction;
    private final ForwardPlan inference;
    private final PendingUpdaterState pendingState = new PendingUpdaterState();
    private boolean mirrorStale;
    /** Null until the first batch; then whether the mirror trains (through its direct step) instead of SameDiff. */
    private Boolean mirrorTrains;
    private boolean variablesStale;
    private long nativeCeiling;

    private SameDiffEngine(GraphEngine mirror, SameDiff graph, ForwardPlan inference, List<ParameterLink> links,
            LossSettings loss, String prediction) {
        this.inference = inference;
        this.loss = loss;
        this.lastPrediction = new LastPrediction(prediction);
        this.mirror = mirror;
        this.graph = graph;
        this.links = links;
    }

    /**
     * The SameDiff engine for {@code network}, or empty when the network has a layer this
     * engine does not translate (dropout, batch normalisation) or a custom loss.
     */
    public static Optional<SameDiffEngine> create(AutoencoderNetwork network, TrainingSettings training, LossSettings loss) {
        if (loss.isCustom()) {
            return Optional.empty();
        }
        return wrap(GraphEngine.create(network, training, loss), network.inputShape(), training, loss);
    }

    /**
     * The SameDiff form of a loaded engine, for fast inference; it cannot train (its optimizer
     * state stayed in the file). Empty when a layer does not translate.
     */
    public static Optional<SameDiffEngine> inferenceOf(GraphEngine loaded, Shape inputShape) {
        return wrap(loaded, inputShape, null, null);
    }

    private static Optional<SameDiffEngine> wrap(GraphEngine mirror, Shape inputShape, TrainingSettings training,
            LossSettings loss) {
        ComputationGraph dl4j = mirror.graph();
        ComputationGraphConfiguration conf = dl4j.getConfiguration();
        long[] batchOfOne = inputShape.batchShape(1);
        long[] sampleShape = Arrays.copyOfRange(batchOfOne, 1, batchOfOne.length);
        Map<String, long[]> shapes = activationShapes(dl4j, sampleShape);
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> values = new HashMap<>();
        long[] placeholderShape = withBatch(sampleShape);
        values.put(conf.getNetworkInputs().get(0), sd.placeHolder(INPUT, DataType.FLOAT, placeholderShape));
        List<ParameterLink> links = new ArrayList<>();
        ForwardPlan plan = new ForwardPlan();
        SDVariable prediction = null;
        for (String name : conf.getTopologicalOrderStr()) {
            var vertex = conf.getVertices().get(name);
            if (vertex == null) {
                continue; // the network input
            }
            SDVariable in = values.get(conf.getVertexInputs().get(name).get(0));
            if (vertex instanceof PreprocessorVertex || vertex instanceof ReshapeVertex) {
                values.put(name, reshapeTo(sd, in, shapes.get(name)));
                plan.reshape(shapes.get(name));
            } else if (vertex instanceof LayerVertex layerVertex) {
                Layer layer = layerVertex.getLayerConf().getLayer();
                if (layer instanceof LossLayer) {
                    InputPreProcessor pre = layerVertex.getPreProcessor();
                    if (pre != null && !(pre instanceof CnnToFeedForwardPreProcessor)) {
                        return Optional.empty();
                    }
                    prediction = sd.reshape(in, -1, sizeOf(sampleShape));
                    continue;
                }
                if (layerVertex.getPreProcessor() != null) {
                    return Optional.empty();
                }
                SDVariable out = layer(sd, name, layer, in, shapes, dl4j, links, plan);
                if (out == null) {
                    return Optional.empty();
                }
                values.put(name, out);
            } else {
                return Optional.empty();
            }
            if (name.startsWith(ENCODER_PREFIX)) {
                // Vertices come in order, so the last encoder vertex's mark is the one that stays.
                plan.markCode();
            }
        }
        if (prediction == null) {
            return Optional.empty();
        }
        sd.identity(RECONSTRUCTION, prediction);
        if (loss == null) {
            return Optional.of(new SameDiffEngine(mirror, sd, plan, links, null, prediction.name()));
        }
        SDVariable labels = sd.placeHolder(LABELS, DataType.FLOAT, -1, sizeOf(sampleShape));
        SDVariable score = switch (loss.function()) {
            case MSE -> sd.loss().meanSquaredError(LOSS, labels, prediction, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT);
            case MAE -> sd.loss().absoluteDifference(LOSS, labels, prediction, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT);
            case BINARY_CROSSENTROPY -> sd.loss().logLoss(LOSS, labels, prediction, null,
                    LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 1e-7);
        };
        sd.setLossVariables(score);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(fast(GraphConfigs.updater(training)))
                .dataSetFeatureMapping(INPUT)
                .dataSetLabelMapping(LABELS)
                .build());
        return Optional.of(new SameDiffEngine(mirror, sd, plan, links, loss, prediction.name()));
    }

    /** SameDiff's updater for {@code updater}: Adam computed on the heap (see {@link FastAdamUpdater}). */
    private static org.nd4j.linalg.learning.config.IUpdater fast(org.nd4j.linalg.learning.config.IUpdater updater) {
        return updater instanceof org.nd4j.linalg.learning.config.Adam adam ? new FastAdamUpdater.Config(adam) : updater;
    }

    /**
     * One layer's SameDiff ops, its parameters linked to the DL4J layer's, and the same ops added
     * to {@code plan}; null if not translated.
     */
    private static SDVariable layer(SameDiff sd, String name, Layer layer, SDVariable in, Map<String, long[]> shapes,
            ComputationGraph dl4j, List<ParameterLink> links, ForwardPlan plan) {
        if (layer instanceof Convolution1DLayer || layer instanceof Subsampling1DLayer) {
            // Their 2-D parents' translations below would read a sequence [n, F, T] as an image.
            return null;
        }
        Map<String, INDArray> params = dl4j.getLayer(name).paramTable();
        if (layer instanceof DenseLayer dense) {
            SDVariable w = link(sd, name, "W", params, links, false);
            SDVariable b = link(sd, name, "b", params, links, false);
            plan.dense(w.name(), b.name(), dense.getActivationFn());
            return activation(sd, dense.getActivationFn(), sd.math().add(sd.mmul(in, w), b));
        }
        if (layer instanceof Deconvolution2D deconv) {
            long[] out = shapes.get(name);
            int[] k = deconv.getKernelSize();
            int[] s = deconv.getStride();
            boolean same = deconv.getConvolutionMode() == ConvolutionMode.Same;
            if (k[0] < s[0] || k[1] < s[1] || !deconv.hasBias()) {
                return null;
            }
            SDVariable w = link(sd, name, "W", params, links, true);
            SDVariable b = link(sd, name, "b", params, links, false);
            DeConv2DConfig config = DeConv2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1])
                    .isSameMode(false).dataFormat("NCHW").build();
            SDVariable y = sd.cnn().deconv2d(in, w, sd.reshape(b, -1), config);
            plan.deconv(w.name(), b.name(), config, out[2], out[3], deconv.getActivationFn());
            if (same) {
                // VALID gives (n - 1) * s + k; SAME keeps n * s of it, cropping half of the k - s
                // too many (rounded down) from the start, as libnd4j and Keras do.
                long top = (k[0] - s[0]) / 2;
                long left = (k[1] - s[1]) / 2;
                y = y.get(SDIndex.all(), SDIndex.all(), SDIndex.interval(top, top + out[2]),
                        SDIndex.interval(left, left + out[3]));
            }
            return activation(sd, deconv.getActivationFn(), y);
        }
        if (layer instanceof ConvolutionLayer conv) {
            int[] k = conv.getKernelSize();
            int[] s = conv.getStride();
            int[] d = conv.getDilation();
            if (d[0] != 1 || d[1] != 1 || !conv.hasBias()) {
                return null;
            }
            SDVariable w = link(sd, name, "W", params, links, true);
            SDVariable b = link(sd, name, "b", params, links, false);
            Conv2DConfig config = Conv2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1])
                    .paddingMode(conv.getConvolutionMode() == ConvolutionMode.Same ? PaddingMode.SAME : PaddingMode.VALID)
                    .dataFormat("NCHW").build();
            plan.conv(w.name(), b.name(), config, conv.getActivationFn());
            return activation(sd, conv.getActivationFn(), sd.cnn().conv2d(in, w, sd.reshape(b, -1), config));
        }
        if (layer instanceof SubsamplingLayer pool) {
            if (pool.getPoolingType() != org.deeplearning4j.nn.conf.layers.PoolingType.MAX) {
                return null;
            }
            int[] k = pool.getKernelSize();
            int[] s = pool.getStride();
            Pooling2DConfig config = Pooling2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1])
                    .type(Pooling2D.Pooling2DType.MAX)
                    .paddingMode(pool.getConvolutionMode() == ConvolutionMode.Same ? PaddingMode.SAME : PaddingMode.VALID)
                    .isNHWC(false).build();
            plan.maxPool(config);
            return sd.cnn().maxPooling2d(in, config);
        }
        if (layer instanceof Upsampling2D up) {
            int[] size = up.getSize();
            plan.upsample(size[0], size[1]);
            return sd.cnn().upsampling2d(in, size[0], size[1], true);
        }
        return null;
    }

    /**
     * A SameDiff variable holding a copy of a DL4J parameter: convolution kernels go from DL4J's
     * {@code [out, in, kH, kW]} (transposed: {@code [in, out, kH, kW]}) to libnd4j's
     * {@code [kH, kW, in, out]} ({@code [kH, kW, out, in]}), the same permutation both ways.
     */
    private static SDVariable link(SameDiff sd, String layer, String key, Map<String, INDArray> params,
            List<ParameterLink> links, boolean kernel) {
        INDArray dl4j = params.get(key);
        INDArray value = kernel ? dl4j.permute(2, 3, 1, 0).dup('c') : dl4j.dup('c');
        SDVariable variable = sd.var(layer + "/" + key, value);
        links.add(new ParameterLink(variable.name(), layer, key, kernel));
        return variable;
    }

    private static SDVariable activation(SameDiff sd, IActivation fn, SDVariable x) {
        if (fn instanceof ActivationReLU) {
            return sd.nn().relu(x, 0);
        }
        if (fn instanceof ActivationSigmoid) {
            return sd.nn().sigmoid(x);
        }
        if (fn instanceof ActivationTanH) {
            return sd.math().tanh(x);
        }
        if (fn instanceof ActivationIdentity) {
            return x;
        }
        if (fn instanceof ActivationELU) {
            return sd.nn().elu(x);
        }
        if (fn instanceof ActivationSoftPlus) {
            return sd.nn().softplus(x);
        }
        if (fn instanceof ActivationLReLU leaky) {
            return sd.nn().leakyRelu(x, leaky.getAlpha());
        }
        throw new IllegalArgumentException("no SameDiff form for activation " + fn);
    }

    /** Every vertex's activation shape (batch of one), from one forward pass of the DL4J graph. */
    private static Map<String, long[]> activationShapes(ComputationGraph dl4j, long[] sampleShape) {
        Map<String, INDArray> activations = dl4j.feedForward(Nd4j.zeros(DataType.FLOAT, withBatch(sampleShape, 1)), false);
        Map<String, long[]> shapes = new HashMap<>();
        activations.forEach((name, array) -> shapes.put(name, array.shape()));
        return shapes;
    }

    private static SDVariable reshapeTo(SameDiff sd, SDVariable in, long[] shapeWithBatch) {
        long[] target = shapeWithBatch.clone();
        target[0] = -1;
        return sd.reshape(in, target);
    }

    private static long[] withBatch(long[] sample) {
        return withBatch(sample, -1);
    }

    private static long[] withBatch(long[] sample, long batch) {
        long[] shape = new long[sample.length + 1];
        shape[0] = batch;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return shape;
    }

    private static long sizeOf(long[] sample) {
        long n = 1;
        for (long d : sample) {
            n *= d;
        }
        return n;
    }

    @Override
    public String kind() {
        return mirror.kind();
    }

    @Override
    public double fitBatch(INDArray noisyInput, INDArray cleanTarget) {
        if (!Arrays.equals(noisyInput.shape(), cleanTarget.shape())) {
            throw new IllegalArgumentException("noisy input " + Arrays.toString(noisyInput.shape())
                    + " and clean target " + Arrays.toString(cleanTarget.shape()) + " differ in shape");
        }
        if (loss == null) {
            throw new IllegalStateException("a loaded model does not train: its optimizer state is not in this engine");
        }
        if (mirrorTrains == null) {
            // A checkpoint SameDiff trained carries SameDiff's optimizer state: it goes on in SameDiff.
            mirrorTrains = pendingState.state == null && mirror.trainsDirectly(noisyInput.castTo(DataType.FLOAT));
        }
        if (mirrorTrains) {
            double score = mirror.fitBatch(noisyInput, cleanTarget);
            variablesStale = true;
            return score;
        }
        long n = cleanTarget.size(0);
        INDArray labels = cleanTarget.castTo(DataType.FLOAT).reshape('c', n, cleanTarget.length() / n);
        graph.fit(new DataSet(noisyInput.castTo(DataType.FLOAT), labels), lastPrediction, pendingState);
        mirrorStale = true;
        collectNativeGarbage();
        return loss.evaluate(lastPrediction.value, labels);
    }

    /**
     * SameDiff allocates every activation and gradient of a step afresh, about 40 MB on the seed's
     * conv model, and their native memory returns only when the collector finds their small Java
     * objects dead; the heap fills too slowly to make it look, and a 10-epoch run was killed for
     * memory at 24 GB. So the engine collects when native memory has grown by a gigabyte since the
     * last collection. A full collection of the small heap takes milliseconds, every few seconds.
     */
    private void collectNativeGarbage() {
        long now = Pointer.physicalBytes();
        if (nativeCeiling == 0) {
            nativeCeiling = now + NATIVE_SLACK_BYTES;
        } else if (now > nativeCeiling) {
            System.gc();
            nativeCeiling = Pointer.physicalBytes() + NATIVE_SLACK_BYTES;
        }
    }

    @Override
    public INDArray reconstruct(INDArray input) {
        GraphEngine current = synced();
        if (current.trainsDirectly(input.castTo(DataType.FLOAT))) {
            // The direct step's ops on the graph's arrays (2,100 to 2,500 samples/s against the plan's
            // 1,600), whoever trained: a model gives the same outputs before saving and after loading.
            return current.reconstruct(input);
        }
        refreshVariables();
        INDArray floats = input.castTo(DataType.FLOAT);
        long n = floats.size(0);
        INDArray out = Nd4j.create(DataType.FLOAT, floats.shape());
        for (long from = 0; from < n; from += CHUNK) {
            long to = Math.min(n, from + CHUNK);
            INDArray chunk = floats.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
            INDArray result = inference.apply(chunk, graph);
            out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).assign(result.reshape('c', chunk.shape()));
        }
        return out;
    }

    /** Whether encoding and decoding run through the plan rather than the layer-API mirror. */
    boolean encodesThroughPlan() {
        return inference.knowsCode();
    }

    /** The SameDiff graph's own reconstruction of {@code input}: what {@link #reconstruct} must agree with. */
    INDArray graphReconstruction(INDArray input) {
        refreshVariables();
        return graph.outputSingle(Map.of(INPUT, input.castTo(DataType.FLOAT)), RECONSTRUCTION);
    }

    @Override
    public INDArray encode(INDArray input) {
        if (!inference.knowsCode()) {
            return synced().encode(input);
        }
        // Through the plan, not the layer-API mirror: the trainer encodes validation samples every
        // epoch, and the mirror's convolutions took 0.75 s for 512 of them on the seed's conv model.
        refreshVariables();
        return chunked(input.castTo(DataType.FLOAT), chunk -> inference.encode(chunk, graph));
    }

    @Override
    public INDArray decode(INDArray code) {
        if (!inference.knowsCode()) {
            return synced().decode(code);
        }
        refreshVariables();
        return chunked(code.castTo(DataType.FLOAT), chunk -> inference.decode(chunk, graph));
    }

    private static INDArray chunked(INDArray batch, java.util.function.UnaryOperator<INDArray> compute) {
        long n = batch.size(0);
        if (n <= CHUNK) {
            return compute.apply(batch);
        }
        List<INDArray> parts = new ArrayList<>();
        for (long from = 0; from < n; from += CHUNK) {
            parts.add(compute.apply(batch.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, Math.min(n, from + CHUNK)))));
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    @Override
    public Map<String, INDArray> layerParameters() {
        // Always in the mirror's layout: the trainer takes its first snapshot before the first step
        // chooses who trains, and a later one in libnd4j's kernel layout would differ from it by a
        // permutation, which read as an update larger than the weights (a false DIVERGED).
        return synced().layerParameters();
    }

    @Override
    public Map<String, Double> gradientNorms(INDArray noisyInput, INDArray cleanTarget) {
        if (loss == null) {
            throw new IllegalStateException("a loaded model has no loss to take the gradient of");
        }
        long n = cleanTarget.size(0);
        Map<String, INDArray> placeholders = Map.of(INPUT, noisyInput.castTo(DataType.FLOAT),
                LABELS, cleanTarget.castTo(DataType.FLOAT).reshape('c', n, cleanTarget.length() / n));
        if (Boolean.TRUE.equals(mirrorTrains)) {
            return mirror.gradientNorms(noisyInput, cleanTarget);
        }
        refreshVariables();
        List<String> variables = links.stream().map(ParameterLink::variable).toList();
        Map<String, INDArray> gradients = graph.calculateGradients(placeholders, variables);
        Map<String, Double> squares = new java.util.LinkedHashMap<>();
        for (ParameterLink link : links) {
            double norm = gradients.get(link.variable()).norm2Number().doubleValue();
            squares.merge(link.layer(), norm * norm, Double::sum);
        }
        Map<String, Double> norms = new java.util.LinkedHashMap<>();
        squares.forEach((layer, square) -> norms.put(layer, Math.sqrt(square)));
        return norms;
    }

    @Override
    public void setLearningRate(double learningRate) {
        if (loss == null) {
            throw new IllegalStateException("a loaded model does not train: its optimizer state is not in this engine");
        }
        // The optimizer's per-variable state objects hold this same configuration, so they see the new rate.
        graph.getTrainingConfig().getUpdater().setLrAndSchedule(learningRate, null);
        mirror.setLearningRate(learningRate);
    }

    @Override
    public long parameterCount() {
        return mirror.parameterCount();
    }

    @Override
    public INDArray parameters() {
        return synced().parameters();
    }

    @Override
    public void setParameters(INDArray parameters) {
        mirror.setParameters(parameters);
        variablesStale = true;
        refreshVariables();
        mirrorStale = false;
    }

    /** The layer-API engine this one saves through, and trains through when its direct step computes the network. */
    GraphEngine mirror() {
        return mirror;
    }

    /** Makes SameDiff itself train every batch, as the direct step is measured against; before the first batch. */
    void trainOnSameDiff() {
        mirrorTrains = false;
    }

    /** Brings SameDiff's variables up to the mirror's parameters when the mirror has trained since. */
    private void refreshVariables() {
        if (!variablesStale) {
            return;
        }
        ComputationGraph dl4j = mirror.graph();
        for (ParameterLink link : links) {
            INDArray value = dl4j.getLayer(link.layer()).paramTable().get(link.key());
            graph.getVariable(link.variable()).getArr().assign(link.kernel() ? value.permute(2, 3, 1, 0) : value);
        }
        variablesStale = false;
    }

    /**
     * Saves the layer API's form of the network, so the file loads with or without this engine,
     * plus SameDiff's optimizer state and step count under {@value #UPDATER_PREFIX}, which
     * {@link #resume} reads back (DL4J cannot read SameDiff's state as its own).
     */
    @Override
    public void save(Path zip, Map<String, String> extraEntries) throws IOException {
        Map<String, String> entries = new HashMap<>(extraEntries);
        Map<String, GradientUpdater> updaters = graph.getUpdaterMap();
        if (loss != null && updaters != null) {
            entries.put(ITERATION_ENTRY, Integer.toString(graph.getTrainingConfig().getIterationCount()));
            updaters.forEach((variable, updater) -> {
                Map<String, INDArray> state = updater.getState();
                if (state != null) {
                    state.forEach((key, value) -> entries.put(UPDATER_PREFIX + variable + "/" + key, ArrayText.encode(value)));
                }
            });
        }
        synced().save(zip, entries);
    }

    /**
     * The trainable SameDiff engine for a checkpoint that {@link #save} wrote: the parameters
     * from {@code loaded}, the optimizer state and step count from {@code zip}. Empty when a layer
     * does not translate.
     */
    static Optional<SameDiffEngine> resume(GraphEngine loaded, Shape inputShape, TrainingSettings training,
            LossSettings loss, Path zip) throws IOException {
        Optional<SameDiffEngine> engine = wrap(loaded, inputShape, training, loss);
        if (engine.isEmpty()) {
            return engine;
        }
        Map<String, Map<String, INDArray>> state = new HashMap<>();
        // Read through ModelFile's bounds and checks, as GraphEngine.load read the rest.
        dev.latent.runtime.model.file.ModelFile file = dev.latent.runtime.model.file.ModelFile.read(zip);
        for (String name : file.textNames()) {
            if (name.equals(ITERATION_ENTRY)) {
                try {
                    engine.get().graph.getTrainingConfig().setIterationCount(Integer.parseInt(file.text(name).trim()));
                } catch (NumberFormatException e) {
                    throw new IOException("corrupt " + ITERATION_ENTRY + ": " + e.getMessage(), e);
                }
            } else if (name.startsWith(UPDATER_PREFIX)) {
                String rest = name.substring(UPDATER_PREFIX.length());
                int slash = rest.lastIndexOf('/');
                if (slash < 0) {
                    throw new IOException("corrupt " + name + ": expected " + UPDATER_PREFIX + "VARIABLE/KEY");
                }
                state.computeIfAbsent(rest.substring(0, slash), v -> new HashMap<>()).put(rest.substring(slash + 1),
                        file.arrayText(name));
            }
        }
        engine.get().pendingState.state = state.isEmpty() ? null : state;
        return engine;
    }

    /** The mirror, with the parameters this engine trained. */
    private GraphEngine synced() {
        if (mirrorStale) {
            ComputationGraph dl4j = mirror.graph();
            for (ParameterLink link : links) {
                INDArray trained = graph.getVariable(link.variable()).getArr();
                INDArray target = dl4j.getLayer(link.layer()).paramTable().get(link.key());
                // permute(3, 2, 0, 1) undoes the permute(2, 3, 1, 0) that made the kernel.
                target.assign(link.kernel() ? trained.permute(3, 2, 0, 1) : trained.reshape(target.shape()));
            }
            mirror.parametersChanged();
            mirrorStale = false;
        }
        return mirror;
    }

    /**
     * Keeps the reconstruction of the last training step. SameDiff's training computes the
     * loss's gradient without the loss itself, so the engine scores that reconstruction.
     */
    private static final class LastPrediction extends BaseListener {
        private final String variable;
        private INDArray value;

        LastPrediction(String variable) {
            this.variable = variable;
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String name,
                INDArray activation) {
            if (variable.equals(name)) {
                // A copy: SameDiff reuses the array once the step is over.
                value = activation.dup();
            }
        }
    }

    /**
     * Puts a checkpoint's optimizer state in place at the first step after a resume. SameDiff
     * creates its optimizer state inside its first {@code fit}, after the listeners' iteration
     * start, so the state is set before the first op of that step runs: after creation, before
     * the first update.
     */
    private final class PendingUpdaterState extends BaseListener {
        private Map<String, Map<String, INDArray>> state;

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext context) {
            if (state == null) {
                return;
            }
            // The engine's graph, not sd: the ops run in its gradient function, a SameDiff of its own.
            Map<String, GradientUpdater> updaters = graph.getUpdaterMap();
            state.forEach((variable, arrays) -> {
                GradientUpdater updater = updaters.get(variable);
                if (updater == null) {
                    throw new IllegalStateException("the checkpoint has optimizer state for " + variable
                            + ", which this network does not train");
                }
                Map<String, INDArray> target = updater.getState();
                arrays.forEach((key, value) -> {
                    INDArray into = target.get(key);
                    if (into == null || into.length() != value.length()) {
                        throw new IllegalStateException("the checkpoint's optimizer state " + variable + "/" + key
                                + " does not fit this network's optimizer; resume from a checkpoint of this network");
                    }
                    into.assign(value.reshape(into.shape()));
                });
            });
            state = null;
        }
    }

    /** A SameDiff variable and the DL4J parameter it mirrors. */
    private record ParameterLink(String variable, String layer, String key, boolean kernel) {}
}
