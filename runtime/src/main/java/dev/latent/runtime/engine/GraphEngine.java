package dev.latent.runtime.engine;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.model.file.ModelFile;
import dev.latent.runtime.settings.GraphPart;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.NativeSettings;
import dev.latent.runtime.settings.TrainingSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Engine} over DL4J's {@link ComputationGraph}: the autoencoder graph holds the
 * parameters, gradients and optimizer state; its {@link EnginePlan} says whether the
 * {@link Executor} or DL4J's own {@code fit} trains it. On DL4J's path the code is read off the
 * autoencoder's activations and decoding runs a {@link DecoderGraph}.
 *
 * <p>A saved file is Latent's model file ({@link ModelFile}): the three configurations as JSON,
 * the autoencoder's parameters and optimizer state as arrays.
 */
public final class GraphEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(GraphEngine.class);
    /** This engine's {@link #kind()}. */
    public static final String KIND = "computation-graph";

    /** The plan the model trained with, as text: which path, and which kernel computed each layer. */
    public static final String PLAN_ENTRY = "latent/engine/plan.txt";
    /** The versions the model was trained with: Latent, DL4J, ND4J, oneDNN, the natives. */
    public static final String PROVENANCE_ENTRY = "latent/engine/provenance.properties";
    /** Each dropout layer's generator state, so that a resumed run draws the masks it would have. */
    static final String RANDOM_STATE_ENTRY = "latent/engine/dropout-state.properties";

    // Bounds the activations held at once during inference; large enough to keep BLAS calls efficient.
    private static final int CHUNK = 1024;
    // The direct step's ops ran fastest on chunks of 256 on the seed's conv model (2,545 samples/s, 2,176 at 1,024).
    private static final int DIRECT_CHUNK = 256;
    // Batches up to this size infer on one OpenMP thread.
    private static final int SINGLE_THREAD_BATCH = 8;

    private final ComputationGraph autoencoder;
    private final ComputationGraphConfiguration encoderConfiguration;
    private final ComputationGraphConfiguration decoderConfiguration;
    private final DataType dataType;

    // The plan and its executor, made for the first sample shape the engine sees (or is told).
    private long[] sampleShape;
    private EnginePlan plan;
    private Executor executor;
    // Inference keeps arrays of its own, so that training's stay as they are between steps.
    private Executor inference;
    // Dropout generators' states read from a file, put back once the executor exists.
    private Map<String, long[]> pendingRandomStates = Map.of();

    // Counts changes to the autoencoder's parameters, so the parts copy them only when stale.
    private long version;
    private final DecoderGraph decoder;

    private GraphEngine(ComputationGraph autoencoder, ComputationGraphConfiguration encoderConfiguration,
            ComputationGraphConfiguration decoderConfiguration) {
        this.autoencoder = autoencoder;
        this.encoderConfiguration = encoderConfiguration;
        this.decoderConfiguration = decoderConfiguration;
        this.dataType = autoencoder.params().dataType();
        this.decoder = new DecoderGraph(decoderConfiguration);
        FastAdamUpdater.install(autoencoder);
    }

    /**
     * A freshly initialised engine for {@code network}, built from its three configurations with
     * the given settings (the seed in {@code training} fixes the initial weights).
     */
    public static GraphEngine create(AutoencoderNetwork network, TrainingSettings training, LossSettings loss) {
        return create(network, training, loss, EngineChoice.AUTO);
    }

    /** As {@link #create(AutoencoderNetwork, TrainingSettings, LossSettings)}, with the path and kernels narrowed by {@code choice}. */
    public static GraphEngine create(AutoencoderNetwork network, TrainingSettings training, LossSettings loss,
            EngineChoice choice) {
        ComputationGraphConfiguration autoencoder = network.configuration(GraphPart.AUTOENCODER, training, loss);
        IWeightInit init = training.weightInit().toDl4j();
        if (init != null) {
            // Only the autoencoder initialises weights: the encoder and decoder copy them by layer name.
            for (GraphVertex vertex : autoencoder.getVertices().values()) {
                if (vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof BaseLayer weighted) {
                    weighted.setWeightInitFn(init);
                }
            }
        }
        ComputationGraphConfiguration encoder = network.configuration(GraphPart.ENCODER, training, loss);
        ComputationGraphConfiguration decoder = network.configuration(GraphPart.DECODER, training, loss);
        GraphEngine engine = create(autoencoder, encoder, decoder);
        long[] batch = network.inputShape().batchShape(1);
        engine.prepare(Arrays.copyOfRange(batch, 1, batch.length), choice);
        return engine;
    }

    /** A freshly initialised engine from the three configurations of one network. */
    public static GraphEngine create(ComputationGraphConfiguration autoencoder,
            ComputationGraphConfiguration encoder, ComputationGraphConfiguration decoder) {
        requireOneInOneOut(autoencoder, GraphPart.AUTOENCODER);
        requireOneInOneOut(encoder, GraphPart.ENCODER);
        requireOneInOneOut(decoder, GraphPart.DECODER);
        ComputationGraph graph = new ComputationGraph(autoencoder);
        graph.init();
        return new GraphEngine(graph, encoder, decoder);
    }

    /**
     * Reads an engine written by {@link #save}, through {@link ModelFile}'s checks: no entry is
     * deserialized, and none is built from before every entry has been checked.
     *
     * @throws dev.latent.runtime.model.file.ModelFileException naming the file and what is wrong with it
     */
    public static GraphEngine load(Path zip) throws IOException {
        ModelFile file = ModelFile.read(zip);
        GraphEngine engine = new GraphEngine(file.autoencoder(), file.encoder(), file.decoder());
        String states = file.text(RANDOM_STATE_ENTRY);
        if (states != null) {
            engine.pendingRandomStates = DropoutStates.parse(states, RANDOM_STATE_ENTRY);
        }
        return engine;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The autoencoder graph itself, for an engine that mirrors its parameters elsewhere. */
    ComputationGraph graph() {
        return autoencoder;
    }

    /** The name of the encoder's last vertex: where the code comes out. */
    String codeVertex() {
        return encoderConfiguration.getNetworkOutputs().get(0);
    }

    @Override
    public double fitBatch(INDArray noisyInput, INDArray cleanTarget) {
        if (!Arrays.equals(noisyInput.shape(), cleanTarget.shape())) {
            throw new IllegalArgumentException("noisy input " + Arrays.toString(noisyInput.shape())
                    + " and clean target " + Arrays.toString(cleanTarget.shape()) + " differ in shape");
        }
        long n = cleanTarget.size(0);
        prepare(sampleShapeOf(noisyInput));
        double score;
        if (executor != null) {
            // Its loss reads the target row-major as it lies: an ND4J reshape took 20 to 40 us a step.
            score = executor.fit(rowMajor(cast(noisyInput)), rowMajor(cast(cleanTarget)));
        } else {
            // The loss layer scores the reconstruction flattened channels-first, as CnnToFeedForwardPreProcessor does.
            INDArray labels = cast(cleanTarget).reshape('c', n, cleanTarget.length() / n);
            autoencoder.fit(new INDArray[] {cast(noisyInput)}, new INDArray[] {labels});
            score = autoencoder.score();
        }
        version++;
        return score;
    }

    /**
     * Plans the engine for samples of {@code shape} (the engine's layout) and logs the plan, once:
     * later calls change nothing.
     */
    void prepare(long[] shape) {
        prepare(shape, EngineChoice.AUTO);
    }

    /** As {@link #prepare(long[])}, narrowed by {@code choice}. */
    void prepare(long[] shape, EngineChoice choice) {
        if (plan != null) {
            return;
        }
        sampleShape = shape.clone();
        Lowering.Result lowered = Lowering.of(autoencoder, sampleShape);
        plan = Planner.plan(lowered, Planner.Environment.of(choice));
        plan.log(LOG);
        if (plan.path() == EnginePlan.Path.DIRECT) {
            String code = encoderConfiguration.getNetworkOutputs().get(0);
            executor = new Executor(autoencoder, lowered.network(), plan, code);
            inference = new Executor(autoencoder, lowered.network(), plan, code);
            executor.restoreRandomStates(pendingRandomStates);
        }
    }

    @Override
    public Optional<EnginePlan> plan() {
        return Optional.ofNullable(plan);
    }

    /** Makes every later batch train through DL4J's own {@code fit}, as the executor is measured against. */
    void useDl4jFit() {
        if (plan == null || plan.path() == EnginePlan.Path.DIRECT) {
            plan = Planner.plan(new Lowering.Result(null, "asked by a test"), new Planner.Environment(false, true));
            executor = null;
            inference = null;
        }
    }

    /** The executor that trains this engine's batches, or null when DL4J's fit does; for {@link Replicas}. */
    Executor trainingExecutor() {
        return executor;
    }

    /** Whether the executor trains this engine's batches (else DL4J's fit); known once planned. */
    boolean trainsWithExecutor() {
        return executor != null;
    }

    private static long[] sampleShapeOf(INDArray batch) {
        return Arrays.copyOfRange(batch.shape(), 1, batch.shape().length);
    }

    /**
     * {@code result} with the rows of samples whose input holds NaN or infinity set to NaN, as
     * DL4J's layers would leave them: oneDNN's ReLU turns NaN into 0, which would denoise garbage
     * into plausible values.
     */
    private static INDArray withNonFiniteRows(INDArray input, INDArray result) {
        if (!NonFinite.in(rowMajor(input))) {
            return result;
        }
        for (long i = 0; i < input.size(0); i++) {
            if (NonFinite.in(rowMajor(input.get(NDArrayIndex.point(i))))) {
                result.get(NDArrayIndex.point(i)).assign(Double.NaN);
            }
        }
        return result;
    }

    private static INDArray rowMajor(INDArray array) {
        return array.ordering() == 'c' && array.elementWiseStride() == 1 ? array : array.dup('c');
    }

    @Override
    public INDArray reconstruct(INDArray input) {
        INDArray floats = cast(input);
        prepare(sampleShapeOf(floats));
        if (inference != null) {
            INDArray result = onOneThreadIfFew(floats.size(0), () -> chunked(floats, DIRECT_CHUNK,
                    chunk -> inference.infer(rowMajor(chunk), 0, inference.size()).reshape('c', chunk.shape())));
            return withNonFiniteRows(floats, result);
        }
        return chunked(floats, CHUNK, chunk -> autoencoder.outputSingle(false, chunk).reshape('c', chunk.shape()));
    }

    @Override
    public INDArray encode(INDArray input) {
        INDArray floats = cast(input);
        prepare(sampleShapeOf(floats));
        if (inference != null && inference.codeIndex() >= 0) {
            int to = inference.codeIndex() + 1;
            long[] codeShape = inference.codeShape();
            return withNonFiniteRows(floats, onOneThreadIfFew(floats.size(0), () -> chunked(floats,
                    DIRECT_CHUNK, chunk -> inference.infer(rowMajor(chunk), 0, to).reshape('c', withBatch(chunk.size(0), codeShape)))));
        }
        // The autoencoder's own activations at the code: DL4J's encoder graph fails (a workspace
        // error) when its output layer is a batch normalisation.
        String code = encoderConfiguration.getNetworkOutputs().get(0);
        return chunked(floats, CHUNK, chunk -> {
            INDArray result = autoencoder.feedForward(new INDArray[] {chunk}, false, false).get(code).dup();
            autoencoder.clear();
            return result;
        });
    }

    @Override
    public INDArray decode(INDArray code) {
        INDArray floats = cast(code);
        if (sampleShape != null && inference != null && inference.codeIndex() >= 0) {
            int from = inference.codeIndex() + 1;
            return withNonFiniteRows(floats, onOneThreadIfFew(floats.size(0), () -> chunked(floats,
                    DIRECT_CHUNK, chunk -> inference.infer(rowMajor(chunk), from, inference.size())
                            .reshape('c', withBatch(chunk.size(0), sampleShape)))));
        }
        ComputationGraph graph = decoder.current(autoencoder, version);
        return chunked(floats, CHUNK, chunk -> graph.outputSingle(false, chunk));
    }

    /**
     * Runs {@code work} on {@code samples} samples, on one OpenMP thread when they are few:
     * waking a second thread for each small op cost more than it saved (one image took 1.07
     * against 0.69 ms through oneDNN's chain). BLAS keeps its threads, since switching them costs
     * more than denoising one image.
     */
    private static <T> T onOneThreadIfFew(long samples, java.util.function.Supplier<T> work) {
        boolean few = samples <= SINGLE_THREAD_BATCH;
        int threads = NativeSettings.currentThreads();
        if (few && threads > 1) {
            NativeSettings.useOpenMpThreads(1);
        }
        try {
            return work.get();
        } finally {
            if (few && threads > 1) {
                NativeSettings.useOpenMpThreads(threads);
            }
        }
    }

    private static long[] withBatch(long n, long[] sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = n;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return shape;
    }

    @Override
    public Map<String, INDArray> layerParameters() {
        return layerParameters(Map.of());
    }

    @Override
    public Map<String, INDArray> layerParameters(Map<String, INDArray> reuse) {
        Map<String, INDArray> table = new LinkedHashMap<>();
        for (String name : autoencoder.getConfiguration().getTopologicalOrderStr()) {
            Layer layer = autoencoder.getLayer(name);
            if (layer != null && layer.numParams() > 0) {
                INDArray params = layer.params();
                INDArray copy = reuse.get(name);
                boolean fits = copy != null && copy != params && copy.dataType() == params.dataType()
                        && Arrays.equals(copy.shape(), params.shape()) && !copy.wasClosed();
                table.put(name, fits ? copy.assign(params) : params.dup());
            }
        }
        return table;
    }

    @Override
    public Map<String, Double> gradientNorms(INDArray noisyInput, INDArray cleanTarget) {
        long n = cleanTarget.size(0);
        INDArray labels = cast(cleanTarget).reshape('c', n, cleanTarget.length() / n);
        Map<String, Double> norms = new LinkedHashMap<>();
        prepare(sampleShapeOf(noisyInput));
        if (executor != null) {
            executor.computeGradients(rowMajor(cast(noisyInput)), rowMajor(labels));
            for (String name : layerParameters().keySet()) {
                Layer layer = autoencoder.getLayer(name);
                double sum = 0;
                for (Map.Entry<String, INDArray> gradient : layer.conf().getLayer().initializer()
                        .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray()).entrySet()) {
                    if (learned(gradient.getKey())) {
                        double norm = gradient.getValue().norm2Number().doubleValue();
                        sum += norm * norm;
                    }
                }
                norms.put(name, Math.sqrt(sum));
            }
            return norms;
        }
        autoencoder.setInputs(cast(noisyInput));
        autoencoder.setLabels(labels);
        autoencoder.computeGradientAndScore();
        Map<String, Double> squares = new LinkedHashMap<>();
        // Keys are "layer_param"; parameter keys (W, b, gamma, RW...) hold no underscore, layer names may.
        autoencoder.gradient().gradientForVariable().forEach((key, gradient) -> {
            if (!learned(key.substring(key.lastIndexOf('_') + 1))) {
                return;
            }
            String layer = key.substring(0, key.lastIndexOf('_'));
            double norm = gradient.norm2Number().doubleValue();
            squares.merge(layer, norm * norm, Double::sum);
        });
        autoencoder.clear();
        // DL4J's gradients are of the batch's summed loss (its updater divides them later): of the mean, as documented.
        layerParameters().keySet().forEach(layer -> norms.put(layer, Math.sqrt(squares.getOrDefault(layer, 0.0)) / n));
        return norms;
    }

    /**
     * Whether a parameter is learned by gradient descent: not batch normalisation's global mean and
     * variance, whose "gradients" are DL4J's moving-average steps, not derivatives of the loss.
     */
    private static boolean learned(String parameter) {
        return !parameter.equals(BatchNormalizationParamInitializer.GLOBAL_MEAN)
                && !parameter.equals(BatchNormalizationParamInitializer.GLOBAL_VAR)
                && !parameter.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
    }

    @Override
    public void setLearningRate(double learningRate) {
        if (learningRate == learningRate()) {
            return; // DL4J would rebuild its updater, copying its state, for nothing
        }
        FastAdamUpdater.writeBack(autoencoder);
        autoencoder.setLearningRate(learningRate);
        // DL4J rebuilds its updater to pass the new rate on, with its own Adam.
        FastAdamUpdater.install(autoencoder);
    }

    /** The learning rate of the first weighted layer's optimizer, or NaN if none has one. */
    private double learningRate() {
        for (Layer layer : autoencoder.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer weighted && weighted.getIUpdater() != null
                    && weighted.getIUpdater().hasLearningRate()) {
                return weighted.getIUpdater().getLearningRate(0, 0);
            }
        }
        return Double.NaN;
    }

    @Override
    public long parameterCount() {
        return autoencoder.numParams();
    }

    @Override
    public INDArray parameters() {
        return autoencoder.params().dup();
    }

    @Override
    public void setParameters(INDArray parameters) {
        if (parameters.length() != autoencoder.numParams()) {
            throw new IllegalArgumentException("expected " + autoencoder.numParams() + " parameters, found "
                    + parameters.length());
        }
        autoencoder.setParams(parameters);
        version++;
    }

    @Override
    public void save(Path zip, Map<String, String> extraEntries) throws IOException {
        FastAdamUpdater.writeBack(autoencoder);
        Map<String, String> entries = new LinkedHashMap<>(extraEntries);
        entries.put(PLAN_ENTRY, plan == null ? "not planned: the engine saw no sample" : plan.toString());
        entries.put(PROVENANCE_ENTRY, Provenance.text());
        Map<String, long[]> states = executor != null ? executor.randomStates() : pendingRandomStates;
        if (!states.isEmpty()) {
            entries.put(RANDOM_STATE_ENTRY, DropoutStates.text(states));
        }
        ModelFile.write(zip, KIND, autoencoder, encoderConfiguration, decoderConfiguration, entries);
    }

    private INDArray cast(INDArray array) {
        return array.dataType() == dataType ? array : array.castTo(dataType);
    }

    private static INDArray chunked(INDArray input, int chunk, UnaryOperator<INDArray> forward) {
        long n = input.size(0);
        if (n <= chunk) {
            return forward.apply(input);
        }
        List<INDArray> parts = new ArrayList<>();
        for (long from = 0; from < n; from += chunk) {
            parts.add(forward.apply(input.get(NDArrayIndex.interval(from, Math.min(n, from + chunk)))));
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    private static void requireOneInOneOut(ComputationGraphConfiguration configuration, GraphPart part) {
        Objects.requireNonNull(configuration, part + " configuration");
        if (configuration.getNetworkInputs().size() != 1 || configuration.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("the " + part + " configuration must have one input and one output, found "
                    + configuration.getNetworkInputs() + " -> " + configuration.getNetworkOutputs());
        }
    }
}
