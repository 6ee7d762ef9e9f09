package dev.latent.runtime.engine;

import dev.latent.runtime.engine.EnginePlan.Kernel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Runs a lowered network ({@link Lowering.Network}) as its {@link EnginePlan} says: one stage per
 * op, forward and backward into arrays kept between steps, straight on the DL4J graph's own
 * parameter, gradient and optimizer-state arrays, then DL4J's own updater blocks (which apply
 * L2 to the weights). Training steps, the reconstruction, encoding, decoding and validation all
 * run through it.
 *
 * <p>Because the arrays are the graph's, the graph saves, loads, resumes and infers exactly as
 * if DL4J had taken the step; tests prove the agreement ({@code ExecutorAgreementTest}), nothing
 * compares the two at run time. DL4J's {@code fit} took 4.5 ms a batch of 64 on the seed's dense
 * model against 2.1 ms here with ND4J's ops, and SameDiff's session 107 to 127 ms on the conv
 * model against 64 to 83: both allocate every activation and gradient afresh each step.
 *
 * <p>Not thread-safe: one trainer or one caller at a time.
 */
final class Executor {
    /** Pass arrays kept at once: a run uses a few (full batches, the last one, inference chunks). */
    private static final int KEPT_PASSES = 8;

    private final ComputationGraph graph;
    private final Lowering.Network network;
    private final EnginePlan plan;
    private final LossStep loss;
    private final INDArray parameters;
    private final INDArray gradients;
    private final List<INDArray> clippedGradients;
    private final boolean regularised;
    private final int codeIndex;
    // ND4J frees native memory only when the collector finds the arrays' Java objects, so arrays
    // made afresh each epoch for the short last batch would pile up outside the heap.
    private final Map<String, Pass> passes = new LinkedHashMap<>();
    private final Map<String, MaskRandom> masks = new LinkedHashMap<>();
    // Stages before it need no gradient, so the backward pass stops there.
    private final int firstWithParameters;
    private OneDnnContext updateContext;
    private OneDnnContext.Primitive subtraction;
    // Null on one machine; a data-parallel run averages the replicas' gradients through it.
    private GradientExchange exchange;

    Executor(ComputationGraph graph, Lowering.Network network, EnginePlan plan, String codeLayer) {
        if (plan.path() != EnginePlan.Path.DIRECT) {
            throw new IllegalArgumentException("the plan trains through DL4J's fit");
        }
        this.graph = graph;
        this.network = network;
        this.plan = plan;
        this.loss = new LossStep(network.loss());
        if (graph.getGradientsViewArray() == null) {
            graph.initGradientsView();
        }
        this.parameters = graph.params();
        // The same values in the parameters' shape (DL4J keeps one as a vector, the other as a row).
        this.gradients = graph.getGradientsViewArray().reshape(parameters.shape());
        this.clippedGradients = network.clipThreshold() > 0 ? gradientViews(graph) : List.of();
        this.regularised = hasRegularisation(graph);
        this.codeIndex = codeLayer == null ? -1 : network.indexOf(codeLayer);
        this.firstWithParameters = firstWithParameters(graph, network);
        long seed = graph.getConfiguration().getDefaultConfiguration().getSeed();
        for (int i = 0; i < network.ops().size(); i++) {
            if (network.ops().get(i) instanceof Op.Dropout) {
                masks.put(network.ops().get(i).name(), new MaskRandom(seed * 31 + i));
            }
        }
    }

    EnginePlan plan() {
        return plan;
    }

    /** Hands each step's gradient to {@code exchange} before clipping and the optimizer; null for none. */
    void exchange(GradientExchange exchange) {
        this.exchange = exchange;
    }

    /** The number of ops; the reconstruction runs ops {@code [0, size)}. */
    int size() {
        return network.ops().size();
    }

    /** The shape of one sample's code: the encoder's last op's output. */
    long[] codeShape() {
        return network.ops().get(codeIndex).output();
    }

    /** The index of the encoder's last op, or -1 when the graph has no code layer named. */
    int codeIndex() {
        return codeIndex;
    }

    /**
     * One step on {@code input} (the engine's layout) and {@code labels} (row-major, {@code n}
     * samples of the reconstruction's values, flattened or not): {@link #computeGradients},
     * clipping, DL4J's updater blocks, then the parameters; the iteration count advances as DL4J's
     * own {@code fit} would.
     *
     * @return the loss before the step, with the L2 penalty, as DL4J's score is
     */
    double fit(INDArray input, INDArray labels) {
        double score = computeGradients(input, labels);
        if (exchange != null) {
            exchange.exchange(gradients, input.size(0));
        }
        if (regularised) {
            score += graph.calcRegularizationScore(true);
        }
        clip();
        ComputationGraphConfiguration conf = graph.getConfiguration();
        int iteration = conf.getIterationCount();
        List<UpdaterBlock> blocks = graph.getUpdater(true).getUpdaterBlocks();
        if (adamStepsParameters(blocks, iteration, conf.getEpochCount())) {
            conf.setIterationCount(iteration + 1);
            return score;
        }
        for (UpdaterBlock block : blocks) {
            block.update(iteration, conf.getEpochCount());
        }
        subtractUpdate();
        conf.setIterationCount(iteration + 1);
        return score;
    }

    /**
     * Adam's step written straight into the parameters, block by block, where every block is
     * Adam on the heap and nothing is regularised but by L2: DL4J's blocks make two reshaped views
     * a step each and an ND4J op per L2 variable, and the update was written out only for the
     * subtraction to read it back (together about 10% of the dense model's step).
     *
     * @return false, with nothing changed, where the blocks are not all such Adam
     */
    private boolean adamStepsParameters(List<UpdaterBlock> blocks, int iteration, int epoch) {
        List<List<FastAdamUpdater.L2>> l2 = new ArrayList<>(blocks.size());
        for (UpdaterBlock block : blocks) {
            List<FastAdamUpdater.L2> terms = l2Terms(block, iteration, epoch);
            if (!(block.getGradientUpdater() instanceof FastAdamUpdater adam) || terms == null
                    || !adam.stepsParameters(gradients, parameters, block.getParamOffsetStart(), block.getParamOffsetEnd())) {
                return false;
            }
            l2.add(terms);
        }
        for (int i = 0; i < blocks.size(); i++) {
            UpdaterBlock block = blocks.get(i);
            ((FastAdamUpdater) block.getGradientUpdater()).stepParameters(gradients, parameters,
                    block.getParamOffsetStart(), block.getParamOffsetEnd(), l2.get(i), iteration, epoch);
        }
        return true;
    }

    /**
     * The L2 terms of {@code block}'s variables, by their place in the block; null where a
     * variable has another regularisation (L1, weight decay), which DL4J's blocks then apply.
     */
    private static List<FastAdamUpdater.L2> l2Terms(UpdaterBlock block, int iteration, int epoch) {
        List<FastAdamUpdater.L2> terms = new ArrayList<>();
        for (UpdaterBlock.ParamState variable : block.getLayersAndVariablesInBlock()) {
            List<Regularization> regularisations = variable.getLayer().getConfig().getRegularizationByParam(variable.getParamName());
            for (Regularization regularisation : regularisations == null ? List.<Regularization>of() : regularisations) {
                if (!(regularisation instanceof L2Regularization l2)) {
                    return null;
                }
                terms.add(new FastAdamUpdater.L2(variable.getParamOffsetStart() - block.getParamOffsetStart(),
                        variable.getParamOffsetEnd() - block.getParamOffsetStart(),
                        (float) l2.getL2().valueAt(iteration, epoch)));
            }
        }
        return terms;
    }

    /**
     * The gradient of the batch's mean loss, written into the graph's gradient array (each
     * layer's {@code getGradientsViewArray()}); parameters and optimizer state stay as they are.
     *
     * @return the loss, averaged as DL4J's score is (without regularisation)
     */
    double computeGradients(INDArray input, INDArray labels) {
        Pass pass = pass(0, size(), input.size(0), true);
        List<Stage> stages = pass.stages();
        INDArray output = pass.flatOutput(input);
        INDArray lossGradient = pass.lossGradient(output.shape());
        int last = lastLayerBeforeReshapes(stages);
        boolean atPreActivation = loss.fusesSigmoid() && stages.get(last) instanceof WeightedStage weighted
                && weighted.activation().function() instanceof ActivationSigmoid;
        double score = loss.compute(output, labels, lossGradient, atPreActivation);
        // From the loss layer's flat view back through its reshapes, then through the layers.
        Tensor gradient = Tensor.plain(lossGradient);
        // Stages before the first one with parameters need no gradient: the first dense layer's
        // input gradient was a full product (64 x 128 x 784) that nothing read.
        for (int i = stages.size() - 1; i >= firstWithParameters; i--) {
            boolean needInputGradient = i > firstWithParameters;
            gradient = i == last && atPreActivation
                    ? ((WeightedStage) stages.get(i)).backwardFromPreActivation(gradient, needInputGradient)
                    : stages.get(i).backward(gradient, needInputGradient);
        }
        return score;
    }

    /**
     * Ops {@code [from, to)} applied to {@code input} in inference mode, flattened to
     * {@code [n, values]}: a new array, since the stages write their next result over their last.
     */
    INDArray infer(INDArray input, int from, int to) {
        return flat(pass(from, to, input.size(0), false).forward(input, false)).dup('c');
    }

    /**
     * The parameters minus the updates the updater left in the gradient array. oneDNN's
     * subtraction took about 50 us on the seed's 210,000 parameters where ND4J's {@code subi}
     * took 150 on one thread.
     */
    private void subtractUpdate() {
        if (!OneDnn.available()) {
            parameters.subi(gradients);
            return;
        }
        if (subtraction == null) {
            updateContext = new OneDnnContext();
            subtraction = updateContext.difference(OneDnnContext.plain(new long[] {parameters.length()}));
        }
        subtraction.run(parameters, gradients, parameters);
        updateContext.await();
    }

    /** Scales each parameter type's gradient down to the clipping threshold, as DL4J's ClipL2PerParamType. */
    private void clip() {
        double threshold = network.clipThreshold();
        for (INDArray gradient : clippedGradients) {
            double norm = gradient.norm2Number().doubleValue();
            if (norm > threshold) {
                gradient.muli(threshold / norm);
            }
        }
    }

    /** The stages of ops {@code [from, to)} with their arrays for batches of {@code n}. */
    private Pass pass(int from, int to, long n, boolean training) {
        String key = from + ":" + to + ":" + n + ":" + training;
        Pass pass = passes.get(key);
        if (pass == null) {
            if (passes.size() >= KEPT_PASSES) {
                passes.remove(passes.keySet().iterator().next());
            }
            List<Stage> stages = new ArrayList<>();
            for (Op op : network.ops().subList(from, to)) {
                stages.add(stage(op));
            }
            pass = new Pass(stages);
            passes.put(key, pass);
        }
        return pass;
    }

    /** Whether a stage computes {@code op}. */
    static boolean computes(Op op) {
        return !(op instanceof Op.Lstm lstm) || HeapActivation.of(lstm.activation()) != null;
    }

    /**
     * The state of each dropout layer's generator, by op name: what a checkpoint keeps so that a
     * resumed run draws the masks the uninterrupted one would have.
     */
    Map<String, long[]> randomStates() {
        Map<String, long[]> states = new LinkedHashMap<>();
        masks.forEach((name, random) -> states.put(name, random.state()));
        return states;
    }

    /** Puts back generator states {@link #randomStates} gave; names it does not know are refused. */
    void restoreRandomStates(Map<String, long[]> states) {
        states.forEach((name, state) -> {
            MaskRandom random = masks.get(name);
            if (random == null) {
                throw new IllegalArgumentException("no dropout layer " + name + " to restore a generator state to");
            }
            random.restore(state);
        });
    }

    /** A new stage computing {@code op} with the kernel the plan gave it. */
    private Stage stage(Op op) {
        boolean oneDnn = plan.kernelOf(op.name()) == Kernel.ONEDNN;
        if (op instanceof Op.Dense dense) {
            return new DenseStage(params(op), dense.activation(), oneDnn);
        }
        if (op instanceof Op.Conv conv) {
            if (conv.sequence()) {
                return new SequenceStage(new Conv1DWeights(params(op), params -> new ConvStage(params,
                        alongWidth(conv.kernel()), alongWidth(conv.stride()), alongWidth(conv.padding()), conv.same(),
                        conv.activation(), oneDnn)));
            }
            return new ConvStage(params(op), conv.kernel(), conv.stride(), conv.padding(), conv.same(),
                    conv.activation(), oneDnn);
        }
        if (op instanceof Op.Deconv deconv) {
            return new DeconvStage(params(op), deconv.kernel(), deconv.stride(), deconv.same(), deconv.activation(), oneDnn);
        }
        if (op instanceof Op.MaxPool pool) {
            return pool.sequence()
                    ? new SequenceStage(new MaxPoolStage(alongWidth(pool.kernel()), alongWidth(pool.stride()),
                            alongWidth(pool.padding()), pool.same(), oneDnn))
                    : new MaxPoolStage(pool.kernel(), pool.stride(), pool.padding(), pool.same(), oneDnn);
        }
        if (op instanceof Op.UpSample up) {
            return up.sequence() ? new SequenceStage(new UpSampleStage(up.width(), up.height(), oneDnn))
                    : new UpSampleStage(up.height(), up.width(), oneDnn);
        }
        if (op instanceof Op.Reshape reshape) {
            return new ReshapeStage(reshape.output());
        }
        if (op instanceof Op.Dropout dropout) {
            // One generator per layer, shared by every batch size's stage, so the masks follow the steps.
            return new DropoutStage(dropout.keep(), masks.get(op.name()));
        }
        if (op instanceof Op.BatchNorm) {
            return new BatchNormStage(graph.getLayer(op.name()), oneDnn);
        }
        if (op instanceof Op.Lstm lstm) {
            Layer layer = graph.getLayer(op.name());
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            LSTM underlying = conf instanceof LastTimeStep last ? (LSTM) last.getUnderlying() : (LSTM) conf;
            return new LstmStage(layer, underlying, !lstm.lastStepOnly(), oneDnn);
        }
        throw new IllegalStateException("no stage computes " + op.describe());
    }

    /** A 1-D layer's {@code {along the steps, 1}} window setting as {@link SequenceStage}'s image reads it. */
    private static int[] alongWidth(int[] heightFirst) {
        return new int[] {heightFirst[1], heightFirst[0]};
    }

    private LayerParams params(Op op) {
        return new LayerParams(graph.getLayer(op.name()));
    }

    /** The index of the first op whose layer in {@code graph} has parameters, or the number of ops. */
    private static int firstWithParameters(ComputationGraph graph, Lowering.Network network) {
        List<Op> ops = network.ops();
        for (int i = 0; i < ops.size(); i++) {
            Layer layer = graph.getLayer(ops.get(i).name());
            if (layer != null && layer.numParams() > 0) {
                return i;
            }
        }
        return ops.size();
    }

    /** The last stage that is not a reshape: the one whose output the loss reads. */
    private static int lastLayerBeforeReshapes(List<Stage> stages) {
        for (int i = stages.size() - 1; i >= 0; i--) {
            if (!(stages.get(i) instanceof ReshapeStage)) {
                return i;
            }
        }
        throw new IllegalStateException("no layer");
    }

    private static List<INDArray> gradientViews(ComputationGraph graph) {
        List<INDArray> views = new ArrayList<>();
        for (Layer layer : graph.getLayers()) {
            if (layer.numParams() > 0) {
                views.addAll(layer.conf().getLayer().initializer()
                        .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray()).values());
            }
        }
        return views;
    }

    /** Whether any parameter has L1, L2 or weight decay, which DL4J's updater blocks apply around the optimizer. */
    private static boolean hasRegularisation(ComputationGraph graph) {
        for (Layer layer : graph.getLayers()) {
            for (String param : layer.paramTable().keySet()) {
                var regularisation = layer.conf().getLayer().getRegularizationByParam(param);
                if (regularisation != null && !regularisation.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    static INDArray flat(INDArray array) {
        long n = array.size(0);
        return array.reshape('c', n, array.length() / n);
    }

    /** One range of ops' stages for one batch size, with the loss gradient's array. */
    private static final class Pass {
        private final List<Stage> stages;
        private INDArray lossGradient;
        private final StageSupport.LastView flatOutput = new StageSupport.LastView();

        Pass(List<Stage> stages) {
            this.stages = stages;
        }

        List<Stage> stages() {
            return stages;
        }

        INDArray forward(INDArray input, boolean training) {
            Tensor x = Tensor.plain(input);
            for (Stage stage : stages) {
                x = stage.forward(x, training);
            }
            return x.plain();
        }

        /** The training pass's output on {@code input}, as {@code [n, values]}. */
        INDArray flatOutput(INDArray input) {
            INDArray output = forward(input, true);
            long n = output.size(0);
            return flatOutput.of(output, new long[] {n, output.length() / n});
        }

        INDArray lossGradient(long[] shape) {
            if (lossGradient == null) {
                lossGradient = Nd4j.create(DataType.FLOAT, shape, 'c');
            }
            return lossGradient;
        }
    }
}
