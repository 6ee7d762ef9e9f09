package dev.latent.runtime.engine;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.GraphPart;
import dev.latent.runtime.model.file.ModelFile;
import dev.latent.runtime.train.LossSettings;
import dev.latent.runtime.train.TrainingSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@link Engine} over DL4J's {@link ComputationGraph}: the autoencoder graph trains; encoder
 * and decoder graphs are built on first use from their own configurations and take the
 * autoencoder's parameters by layer name whenever it has changed since.
 *
 * <p>A saved file is Latent's model file ({@link ModelFile}): the three configurations as JSON,
 * the autoencoder's parameters and optimizer state as arrays.
 */
public final class GraphEngine implements Engine {
    /** This engine's {@link #kind()}. */
    public static final String KIND = "computation-graph";

    // Bounds the activations held at once during inference; large enough to keep BLAS calls efficient.
    private static final int CHUNK = 1024;
    // The direct step's ops ran fastest on chunks of 256 on the seed's conv model (2,545 samples/s, 2,176 at 1,024).
    private static final int DIRECT_CHUNK = 256;

    private final ComputationGraph autoencoder;
    private final ComputationGraphConfiguration encoderConfiguration;
    private final ComputationGraphConfiguration decoderConfiguration;
    private final DataType dataType;

    // Decided on the first batch: whether training takes DL4J's fit or the direct step.
    private boolean stepChosen;
    private DirectTrainingStep directStep;
    // The direct step's forward pass for inference, with arrays of its own so training's stay as they are.
    private DirectTrainingStep directInference;

    // Counts changes to the autoencoder's parameters, so the parts copy them only when stale.
    private long version;
    private ComputationGraph encoder;
    private long encoderVersion = -1;
    private ComputationGraph decoder;
    private long decoderVersion = -1;

    private GraphEngine(ComputationGraph autoencoder, ComputationGraphConfiguration encoderConfiguration,
            ComputationGraphConfiguration decoderConfiguration) {
        this.autoencoder = autoencoder;
        this.encoderConfiguration = encoderConfiguration;
        this.decoderConfiguration = decoderConfiguration;
        this.dataType = autoencoder.params().dataType();
        FastAdamUpdater.install(autoencoder);
    }

    /**
     * A freshly initialised engine for {@code network}, built from its three configurations with
     * the given settings (the seed in {@code training} fixes the initial weights).
     */
    public static GraphEngine create(AutoencoderNetwork network, TrainingSettings training, LossSettings loss) {
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
        return create(autoencoder, encoder, decoder);
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
     * @throws dev.latent.runtime.model.ModelFileException naming the file and what is wrong with it
     */
    public static GraphEngine load(Path zip) throws IOException {
        ModelFile file = ModelFile.read(zip);
        return new GraphEngine(file.autoencoder(), file.encoder(), file.decoder());
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The autoencoder graph itself, for an engine that mirrors its parameters elsewhere. */
    ComputationGraph graph() {
        return autoencoder;
    }

    /** Says the autoencoder's parameters changed behind this engine, so its parts copy them again. */
    void parametersChanged() {
        version++;
    }

    @Override
    public double fitBatch(INDArray noisyInput, INDArray cleanTarget) {
        if (!Arrays.equals(noisyInput.shape(), cleanTarget.shape())) {
            throw new IllegalArgumentException("noisy input " + Arrays.toString(noisyInput.shape())
                    + " and clean target " + Arrays.toString(cleanTarget.shape()) + " differ in shape");
        }
        long n = cleanTarget.size(0);
        // The loss layer scores the reconstruction flattened channels-first, as CnnToFeedForwardPreProcessor does.
        INDArray labels = cast(cleanTarget).reshape('c', n, cleanTarget.length() / n);
        trainsDirectly(noisyInput);
        double score;
        if (directStep != null) {
            score = directStep.fit(rowMajor(cast(noisyInput)), rowMajor(labels));
        } else {
            autoencoder.fit(new INDArray[] {cast(noisyInput)}, new INDArray[] {labels});
            score = autoencoder.score();
        }
        version++;
        return score;
    }

    /**
     * Whether batches like {@code noisyInput} train through the direct step, chosen on the first
     * call: when the step computes the network and its forward pass agrees with DL4J's.
     */
    boolean trainsDirectly(INDArray noisyInput) {
        if (!stepChosen && noisyInput.size(0) > 0) {
            // A few samples suffice to catch a reshape that reorders, and DL4J's forward pass is slow.
            INDArray few = rowMajor(cast(noisyInput.get(NDArrayIndex.interval(0, Math.min(noisyInput.size(0), 8)))));
            if (NonFinite.in(few)) {
                // NaN compares with nothing: the choice waits for a batch the two passes can be compared on.
                return false;
            }
            stepChosen = true;
            INDArray sample = noisyInput.get(NDArrayIndex.point(0));
            directStep = DirectTrainingStep.of(autoencoder, sample.shape())
                    .filter(step -> agreesWithDl4j(step, few))
                    .orElse(null);
        }
        return directStep != null;
    }

    /** Makes every later batch train through DL4J's own {@code fit}, as the direct step is measured against. */
    void useDl4jFit() {
        stepChosen = true;
        directStep = null;
    }

    /** Whether the last inference ran through oneDNN's chain ({@link OneDnnInference}). */
    boolean infersThroughOneDnn() {
        return directInference != null && directInference.infersThroughOneDnn();
    }

    /** Whether the direct step trains this engine's batches; known after the first batch. */
    boolean trainsWithDirectStep() {
        return directStep != null;
    }

    /**
     * Whether {@code step}'s forward pass gives what DL4J's gives the loss layer: the step reads
     * reshapes between layers as row-major no-ops, which a reshape that reorders would break.
     */
    private boolean agreesWithDl4j(DirectTrainingStep step, INDArray input) {
        String output = autoencoder.getConfiguration().getNetworkOutputs().get(0);
        INDArray expected = autoencoder.feedForward(new INDArray[] {input}, false, false).get(output);
        INDArray actual = step.forward(input);
        autoencoder.clear();
        return expected != null && Arrays.equals(expected.shape(), actual.shape())
                && expected.sub(actual).amaxNumber().doubleValue() <= 1e-5 * Math.max(1, expected.amaxNumber().doubleValue());
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
        if (trainsDirectly(floats)) {
            if (directInference == null) {
                directInference = DirectTrainingStep.of(autoencoder, floats.get(NDArrayIndex.point(0)).shape()).orElseThrow();
            }
            INDArray result = ForwardPlan.onOneThreadIfFew(floats.size(0), () -> chunked(floats, DIRECT_CHUNK,
                    chunk -> directInference.infer(rowMajor(chunk)).reshape('c', chunk.shape())));
            return withNonFiniteRows(floats, result);
        }
        return chunked(floats, CHUNK, chunk -> autoencoder.outputSingle(false, chunk).reshape('c', chunk.shape()));
    }

    @Override
    public INDArray encode(INDArray input) {
        ComputationGraph graph = encoderGraph();
        return chunked(cast(input), CHUNK, chunk -> graph.outputSingle(false, chunk));
    }

    @Override
    public INDArray decode(INDArray code) {
        ComputationGraph graph = decoderGraph();
        return chunked(cast(code), CHUNK, chunk -> graph.outputSingle(false, chunk));
    }

    @Override
    public Map<String, INDArray> layerParameters() {
        Map<String, INDArray> table = new LinkedHashMap<>();
        for (String name : autoencoder.getConfiguration().getTopologicalOrderStr()) {
            Layer layer = autoencoder.getLayer(name);
            if (layer != null && layer.numParams() > 0) {
                table.put(name, layer.params().dup());
            }
        }
        return table;
    }

    @Override
    public Map<String, Double> gradientNorms(INDArray noisyInput, INDArray cleanTarget) {
        long n = cleanTarget.size(0);
        INDArray labels = cast(cleanTarget).reshape('c', n, cleanTarget.length() / n);
        Map<String, Double> norms = new LinkedHashMap<>();
        if (trainsDirectly(cast(noisyInput))) {
            directStep.computeGradients(rowMajor(cast(noisyInput)), rowMajor(labels));
            for (String layer : layerParameters().keySet()) {
                norms.put(layer, autoencoder.getLayer(layer).getGradientsViewArray().norm2Number().doubleValue());
            }
            return norms;
        }
        autoencoder.setInputs(cast(noisyInput));
        autoencoder.setLabels(labels);
        autoencoder.computeGradientAndScore();
        Map<String, Double> squares = new LinkedHashMap<>();
        // Keys are "layer_param"; parameter keys (W, b, gamma, RW...) hold no underscore, layer names may.
        autoencoder.gradient().gradientForVariable().forEach((key, gradient) -> {
            String layer = key.substring(0, key.lastIndexOf('_'));
            double norm = gradient.norm2Number().doubleValue();
            squares.merge(layer, norm * norm, Double::sum);
        });
        autoencoder.clear();
        // DL4J's gradients are of the batch's summed loss (its updater divides them later): of the mean, as documented.
        layerParameters().keySet().forEach(layer -> norms.put(layer, Math.sqrt(squares.getOrDefault(layer, 0.0)) / n));
        return norms;
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
        ModelFile.write(zip, KIND, autoencoder, encoderConfiguration, decoderConfiguration, extraEntries);
    }

    private ComputationGraph encoderGraph() {
        if (encoder == null) {
            encoder = new ComputationGraph(encoderConfiguration);
            encoder.init();
        }
        if (encoderVersion != version) {
            copyParameters(autoencoder, encoder);
            encoderVersion = version;
        }
        return encoder;
    }

    private ComputationGraph decoderGraph() {
        if (decoder == null) {
            decoder = new ComputationGraph(decoderConfiguration);
            decoder.init();
        }
        if (decoderVersion != version) {
            copyParameters(autoencoder, decoder);
            decoderVersion = version;
        }
        return decoder;
    }

    // Layer names are the same in all three configurations, so a part's layers find theirs by name.
    // Batch normalisation's running mean and variance are parameters here, so they travel too.
    private static void copyParameters(ComputationGraph from, ComputationGraph to) {
        for (Layer layer : to.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Layer source = from.getLayer(name);
            if (source == null) {
                throw new IllegalStateException("layer " + name + " is not in the autoencoder graph");
            }
            for (Map.Entry<String, INDArray> parameter : layer.paramTable().entrySet()) {
                INDArray value = source.getParam(parameter.getKey());
                if (value == null || !Arrays.equals(value.shape(), parameter.getValue().shape())) {
                    throw new IllegalStateException("parameter " + parameter.getKey() + " of layer " + name
                            + " differs between the autoencoder and its part");
                }
                parameter.getValue().assign(value);
            }
        }
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
