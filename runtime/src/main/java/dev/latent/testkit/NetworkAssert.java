package dev.latent.testkit;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.Engines;
import dev.latent.runtime.model.Denoiser;
import dev.latent.runtime.noise.NoiseModel;
import dev.latent.runtime.settings.Backend;
import dev.latent.runtime.settings.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fluent checks on one {@link AutoencoderNetwork}; get one from
 * {@link LatentAssertions#assertThat}. Every check returns {@code this}, so they chain, and each
 * throws an {@link AssertionError} whose message names the layer and the numbers at fault.
 *
 * <p>The checks that run the network build it the way the trainer does (its declared training,
 * noise and loss settings, on whichever engine {@link Engines#create} picks), and feed it a batch:
 * the one given to {@link #usingBatch}, or by default 8 synthetic samples in the network's data
 * range, each a smooth blob plus stripes drawn from a fixed seed (learnable structure, no data
 * files, the same on every run).
 *
 * <p>Not thread-safe; one chain per test.
 */
public final class NetworkAssert {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    /** Samples in the default batch: enough to be more than one pattern, few enough to memorise fast. */
    public static final int DEFAULT_BATCH_SIZE = 8;
    /**
     * Gradient steps {@link #overfitsOneBatch()} allows: over three times what the slowest sound
     * model of the calibration needed (a 16-12-8-12-16 dense model at Adam 1e-3, 295 steps; 150
     * got it 0.61 of the way), see docs/testing-calibration.md. A sound model stops as soon as it
     * gets there, so only a failing one pays for the whole budget.
     */
    public static final int DEFAULT_OVERFIT_STEPS = 1_000;
    /** The fraction of its starting loss {@link #overfitsOneBatch()} must reach. */
    public static final double DEFAULT_OVERFIT_RATIO = 0.25;
    /** Entries of each parameter array {@link #passesGradientCheck()} checks. */
    public static final int DEFAULT_GRADIENT_ENTRIES = 6;
    /** Samples the gradient check feeds: gradients of a small batch are as telling and much cheaper. */
    static final int GRADIENT_BATCH = 2;
    /** Gradient steps before {@link #isDeterministic()} and {@link #survivesSaveAndLoad()} compare. */
    static final int SHORT_TRAINING_STEPS = 3;

    private final AutoencoderNetwork network;
    private INDArray batch;
    // The checks that only infer share one untrained engine; those that train build their own.
    private Engine untrained;

    NetworkAssert(AutoencoderNetwork network) {
        this.network = Objects.requireNonNull(network, "network");
    }

    /**
     * Uses {@code clean} (a batch in the engine's layout, {@code [n, C, H, W]} or {@code [n, N]},
     * values in the network's range) instead of the synthetic batch, for the checks that run the
     * network. Real data makes {@link #overfitsOneBatch()} the more telling.
     *
     * @throws IllegalArgumentException if its shape is not a batch of the network's input shape
     */
    public NetworkAssert usingBatch(INDArray clean) {
        Objects.requireNonNull(clean, "clean");
        long[] expected = network.inputShape().batchShape(clean.rank() == 0 ? 1 : clean.size(0));
        if (clean.rank() == 0 || !Arrays.equals(clean.shape(), expected)) {
            throw new IllegalArgumentException("usingBatch expects a batch of shape "
                    + Arrays.toString(network.inputShape().batchShape(1)).replaceFirst("\\[1,", "[n,") + " for "
                    + network.modelName() + " (input " + network.inputShape() + " in Keras order), found "
                    + Arrays.toString(clean.shape()));
        }
        this.batch = clean.castTo(DataType.FLOAT);
        return this;
    }

    /** The network's input shape, in Keras order, is {@code dims}: {@code hasInputShape(28, 28, 1)}. */
    public NetworkAssert hasInputShape(int... dims) {
        Shape expected = Shape.of(dims);
        if (!expected.equals(network.inputShape())) {
            throw Failures.of(network.modelName() + " takes input " + network.inputShape() + ", expected " + expected,
                    expected.toString(), network.inputShape().toString());
        }
        return this;
    }

    /**
     * The network has {@code expected} parameters, learned or not, as Keras counts them; and the
     * DL4J graph it builds has as many as its summary says. The failure shows the layer table.
     */
    public NetworkAssert hasParameterCount(long expected) {
        long declared = network.parameterCount();
        if (declared != expected) {
            throw Failures.of(String.format(Locale.ROOT, "%s has %,d parameters, expected %,d (%+,d):%n%s",
                    network.modelName(), declared, expected, declared - expected, network.summary()),
                    expected, declared);
        }
        long built = run("building the DL4J graph", () -> GraphFacts.declaredGraph(network).numParams());
        if (built != declared) {
            throw Failures.of(String.format(Locale.ROOT,
                    "%s declares %,d parameters, but the DL4J graph it builds has %,d; the layer table:%n%s",
                    network.modelName(), declared, built, network.summary()), declared, built);
        }
        return this;
    }

    /**
     * The reconstruction of a batch has the batch's shape, the code has the declared code shape,
     * and decoding a code gives the input shape back; the summary's last layer agrees.
     */
    public NetworkAssert reconstructsInputShape() {
        Shape input = network.inputShape();
        var layers = network.layers();
        if (!layers.isEmpty() && !layers.get(layers.size() - 1).outputShape().equals(input)) {
            var last = layers.get(layers.size() - 1);
            throw Failures.of(network.modelName() + ": the last layer " + last.name() + " (" + last.kind()
                    + ") outputs " + last.outputShape() + ", but the input is " + input, input.toString(),
                    last.outputShape().toString());
        }
        Engine engine = untrained();
        INDArray clean = batch();
        long n = clean.size(0);
        INDArray reconstruction = run("reconstructing a batch", () -> engine.reconstruct(clean));
        requireShape("the reconstruction of a batch of " + n, reconstruction, input.batchShape(n));
        INDArray code = run("encoding a batch", () -> engine.encode(clean));
        requireShape("the code of a batch of " + n, code, network.codeShape().batchShape(n));
        INDArray decoded = run("decoding a batch of codes", () -> engine.decode(code));
        requireShape("the decoding of " + n + " codes", decoded, input.batchShape(n));
        return this;
    }

    /**
     * {@link #outputStaysIn(DataRange)} for the network's declared range, and
     * {@link #outputCoversItsRange()}: the output neither leaves the data's range nor misses part
     * of it.
     */
    public NetworkAssert outputStaysInItsRange() {
        outputStaysIn(network.range());
        return outputCoversItsRange();
    }

    /**
     * Every output value lies in {@code range} (and is finite), whatever the input: the batch, the
     * range's edges, uniform noise across it, and inputs well beyond it (three range widths past
     * each edge; 3 and 10 standard deviations for UNBOUNDED), as noisy or unclipped data can be.
     * The failure names the output layer and its activation.
     */
    public NetworkAssert outputStaysIn(DataRange range) {
        Objects.requireNonNull(range, "range");
        Engine engine = untrained();
        new OutputRange(network).requireStaysIn(range, batch(), (what, input) -> run(what,
                () -> engine.reconstruct(input)));
        return this;
    }

    /**
     * The output layer's activation can give every value of the network's declared range: SIGMOID,
     * TANH or a linear output for UNIT data; TANH or a linear output for SYMMETRIC; for UNBOUNDED
     * (standardised) data an activation unbounded both ways (IDENTITY, LEAKY_RELU), since such
     * data reaches 3 standard deviations either side of 0. A SIGMOID or RELU output on SYMMETRIC
     * data fails: it never gives a value below 0. Read from the configuration, without running
     * the network; the failure names the layer, its activation and the one to use.
     */
    public NetworkAssert outputCoversItsRange() {
        run("reading the output layer", () -> {
            new OutputRange(network).requireCovers(network.range());
            return null;
        });
        return this;
    }

    /** {@link #passesGradientCheck(int, double)} with 6 entries per parameter array and a maximum relative error of 1e-3. */
    public NetworkAssert passesGradientCheck() {
        return passesGradientCheck(DEFAULT_GRADIENT_ENTRIES, GradientCheck.DEFAULT_MAX_RELATIVE_ERROR);
    }

    /**
     * Backpropagation's gradient agrees with the numerical one (central differences, step 1e-6)
     * on a double-precision copy of the network's DL4J graph, initialised from its seed, for 2
     * samples of the batch as both input and target. Checks {@code entriesPerArray} evenly spaced
     * entries of each parameter array (weights, biases), so the cost grows with the number of
     * layers, not of parameters. An entry fails when its relative error {@code |a - n| / (|a| + |n|)}
     * exceeds {@code maxRelativeError} and the absolute one 1e-8; the failure lists them by layer
     * and parameter. A layer that gets no gradient (frozen) fails here.
     */
    public NetworkAssert passesGradientCheck(int entriesPerArray, double maxRelativeError) {
        if (entriesPerArray < 1) {
            throw new IllegalArgumentException("entriesPerArray must be at least 1, found " + entriesPerArray);
        }
        if (!(maxRelativeError > 0 && maxRelativeError < 1)) {
            throw new IllegalArgumentException("maxRelativeError must be in (0, 1), found " + maxRelativeError);
        }
        INDArray clean = batch();
        INDArray sample = clean.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0,
                Math.min(GRADIENT_BATCH, clean.size(0))));
        GradientCheck.Result result = run("the gradient check",
                () -> GradientCheck.run(network, sample, entriesPerArray, maxRelativeError));
        List<GradientCheck.Entry> failures = result.failures(maxRelativeError);
        if (!failures.isEmpty()) {
            StringBuilder message = new StringBuilder(String.format(Locale.ROOT,
                    "%s fails the gradient check: %d of %d entries checked (%d per parameter array, %d arrays) have a "
                            + "relative error above %s:",
                    network.modelName(), failures.size(), result.entries().size(), entriesPerArray, result.arrays(),
                    num(maxRelativeError)));
            List<String> layers = new ArrayList<>();
            for (GradientCheck.Entry e : failures) {
                if (!layers.contains(e.layer())) {
                    layers.add(e.layer());
                }
            }
            int shown = 0;
            for (GradientCheck.Entry e : failures) {
                if (shown++ == 8) {
                    message.append(String.format(Locale.ROOT, "%n  ... and %d more", failures.size() - 8));
                    break;
                }
                message.append(String.format(Locale.ROOT,
                        "%n  layer %s, parameter %s[%d]: backprop %s, numerical %s, relative error %s",
                        e.layer(), e.parameter(), e.index(), num(e.backprop()), num(e.numerical()),
                        num(e.relativeError())));
            }
            message.append("\nLayers at fault: ").append(String.join(", ", layers)).append(
                    ". A backprop gradient of 0 where the numerical one is not means the layer gets no gradient "
                            + "(frozen, or cut off from the loss); other mismatches point at a custom layer's or "
                            + "loss's backward pass.");
            throw Failures.of(message.toString());
        }
        return this;
    }

    /**
     * {@link #overfitsOneBatch(int, double)} within {@value #DEFAULT_OVERFIT_STEPS} steps, to a
     * quarter of the starting loss. The budget is calibrated on sound models from 624 to 897,153
     * parameters, dense, convolutional and recurrent (LSTM), at Adam 1e-3 and 3e-3:
     * docs/testing-calibration.md has the table.
     */
    public NetworkAssert overfitsOneBatch() {
        return overfitsOneBatch(DEFAULT_OVERFIT_STEPS, DEFAULT_OVERFIT_RATIO);
    }

    /**
     * Trained on one fixed batch (the batch, corrupted once by the declared noise from the seed)
     * with the declared optimizer and learning rate, the network's loss on that batch falls to
     * {@code targetRatio} of its start or below within {@code maxSteps} gradient steps; it stops
     * as soon as it gets there. The loss is the training loss, each step's before its update
     * (dropout on, batch statistics), and counts above that of a perfect reconstruction, which is
     * 0 for MSE and MAE but not for binary cross-entropy on targets between 0 and 1. A network
     * that cannot even memorise one batch has a layer that does not learn, a learning rate far
     * off, or an output that cannot reach the data. The failure gives the start and end losses,
     * the budget, and what to try: the layers whose parameters never changed, an output activation
     * that cannot cover the data, more steps when the loss was still falling, another learning
     * rate when it was not.
     */
    public NetworkAssert overfitsOneBatch(int maxSteps, double targetRatio) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be at least 1, found " + maxSteps);
        }
        if (!(targetRatio > 0 && targetRatio < 1)) {
            throw new IllegalArgumentException("targetRatio must be in (0, 1), found " + targetRatio);
        }
        Engine engine = build();
        INDArray clean = batch();
        INDArray noisy = corruptOnce(clean);
        INDArray before = engine.parameters();
        // Binary cross-entropy cannot reach 0 on targets between 0 and 1: progress is measured above
        // the loss of a perfect reconstruction (0 for MSE and MAE).
        double floor = network.loss().evaluate(clean, clean);
        // The loss as the optimizer sees it, each step's before its update: in training mode, as
        // Lightning's overfit_batches watches it (inference mode would also judge how far batch
        // normalisation's running statistics have caught up).
        OneBatchOverfit.Run result = OneBatchOverfit.run(() -> run("a training step", () -> engine.fitBatch(noisy, clean)),
                floor, maxSteps, targetRatio);
        double target = floor + targetRatio * (result.start() - floor);
        if (!(result.end() <= target)) {
            List<String> still = GraphFacts.unchangedLayers(network, values(before), values(engine.parameters()));
            AssertionError coverage = new OutputRange(network).coverageFailure(network.range());
            throw Failures.of(String.format(Locale.ROOT,
                    "%s does not overfit one batch: %s training loss on a fixed batch of %d went from %s to %s in %d "
                            + "steps, expected %s or less: %s of the way from the start to a perfect reconstruction's %s, "
                            + "it got %s of it. Optimizer %s, learning rate %s. %s",
                    network.modelName(), network.loss(), clean.size(0), num(result.start()), num(result.end()),
                    result.steps(), num(target), num(1 - targetRatio), num(floor), num(result.fractionAt(maxSteps)),
                    network.training().optimizer(), num(network.training().learningRate()),
                    OneBatchOverfit.advice(network, result, maxSteps, targetRatio, clean.size(0), still,
                            coverage == null ? null : coverage.getMessage())),
                    "<= " + num(target), num(result.end()));
        }
        return this;
    }

    /**
     * Two independent builds from the same seed start from identical weights, draw identical noise,
     * and after 3 training steps on the batch hold identical weights and give identical outputs. A
     * custom noise that draws from anything but the generator it is given fails here.
     */
    public NetworkAssert isDeterministic() {
        INDArray clean = batch();
        Run first = shortRun(clean);
        Run second = shortRun(clean);
        compare("the initial weights of two builds with seed " + network.training().seed(), first.initial(),
                second.initial(), true, "a layer initialised from something other than the configuration's seed");
        if (!network.noise().isNone()) {
            compare("the noise drawn for the same batch by two generators seeded " + network.training().seed()
                    + " (noise " + network.noise() + ")", first.noisy(), second.noisy(), false,
                    "a noise model must draw every random number from the Random it is given, "
                            + "not from Math.random, java.util.Random, Nd4j.rand or a clock");
        }
        compare("the weights after " + SHORT_TRAINING_STEPS + " identical training steps", first.trained(),
                second.trained(), true, "a non-deterministic operation in training");
        compare("the reconstructions after " + SHORT_TRAINING_STEPS + " identical training steps", first.output(),
                second.output(), false, "a non-deterministic operation in inference");
        return this;
    }

    /**
     * After 3 training steps, the model saved with {@link Denoiser#save} and read back with
     * {@link Denoiser#load} (a temporary file, deleted after) has the same shapes and gives exactly
     * the same reconstructions, codes and decodings as before saving.
     */
    public NetworkAssert survivesSaveAndLoad() {
        INDArray clean = batch();
        Engine engine = build();
        INDArray noisy = corruptOnce(clean);
        for (int i = 0; i < SHORT_TRAINING_STEPS; i++) {
            run("a training step", () -> engine.fitBatch(noisy, clean));
        }
        Denoiser model = Denoiser.of(network, engine);
        Path directory;
        try {
            directory = Files.createTempDirectory("latent-testkit-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the saved model", e);
        }
        Path file = directory.resolve("model.zip");
        try {
            run("saving the model", () -> {
                model.save(file);
                return null;
            });
            Denoiser loaded = run("loading the saved model", () -> Denoiser.load(file));
            if (!loaded.inputShape().equals(model.inputShape()) || !loaded.codeShape().equals(model.codeShape())
                    || loaded.range() != model.range()) {
                throw Failures.of(network.modelName() + ": the loaded model differs: " + loaded, model.toString(),
                        loaded.toString());
            }
            compare("the reconstructions before saving and after loading", model.denoise(clean),
                    loaded.denoise(clean), false, "state the saved file does not carry");
            INDArray code = model.encode(clean);
            compare("the codes before saving and after loading", code, loaded.encode(clean), false,
                    "the encoder's state not carried by the saved file");
            compare("the decodings before saving and after loading", model.decode(code), loaded.decode(code),
                    false, "the decoder's state not carried by the saved file");
        } finally {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(directory);
            } catch (IOException ignored) {
                // A leftover temporary file must not hide the check's own outcome.
            }
        }
        return this;
    }

    private record Run(INDArray initial, INDArray noisy, INDArray trained, INDArray output) {}

    private Run shortRun(INDArray clean) {
        Engine engine = build();
        INDArray initial = engine.parameters();
        NoiseModel noise = network.noise().toModel();
        Random random = Nd4j.getRandomFactory().getNewRandomInstance(network.training().seed());
        try {
            INDArray firstNoisy = null;
            for (int i = 0; i < SHORT_TRAINING_STEPS; i++) {
                INDArray noisy = run("corrupting the batch", () -> noise.corrupt(clean, network.range(), random));
                if (firstNoisy == null) {
                    firstNoisy = noisy.dup();
                }
                run("a training step", () -> engine.fitBatch(noisy, clean));
            }
            return new Run(initial, firstNoisy, engine.parameters(), engine.reconstruct(clean));
        } finally {
            try {
                random.close();
            } catch (Exception ignored) {
                // Releasing a generator's native state cannot fail in a way a test could act on.
            }
        }
    }

    private INDArray corruptOnce(INDArray clean) {
        NoiseModel noise = network.noise().toModel();
        try (Random random = Nd4j.getRandomFactory().getNewRandomInstance(network.training().seed())) {
            return run("corrupting the batch", () -> noise.corrupt(clean, network.range(), random));
        } catch (AssertionError | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void compare(String what, INDArray a, INDArray b, boolean parameters, String likelyCause) {
        double[] x = values(a);
        double[] y = values(b);
        if (x.length != y.length) {
            throw Failures.of(network.modelName() + ": " + what + " differ in size: " + x.length + " and " + y.length);
        }
        long differing = 0;
        double largest = 0;
        int first = -1;
        for (int i = 0; i < x.length; i++) {
            if (Double.compare(x[i], y[i]) != 0) {
                differing++;
                largest = Math.max(largest, Math.abs(x[i] - y[i]));
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (differing > 0) {
            String where = parameters ? ", first in layer " + GraphFacts.layerOf(network, first) : "";
            throw Failures.of(String.format(Locale.ROOT, "%s: %s differ in %,d of %,d values (largest difference %s%s); "
                    + "likely cause: %s", network.modelName(), what, differing, x.length, num(largest), where,
                    likelyCause), a.toString(), b.toString());
        }
    }

    // dup: data() of a view is its whole backing buffer, and castTo returns a double array itself.
    static double[] values(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private void requireShape(String what, INDArray array, long[] expected) {
        if (!Arrays.equals(array.shape(), expected)) {
            throw Failures.of(network.modelName() + ": " + what + " has shape " + Arrays.toString(array.shape())
                    + ", expected " + Arrays.toString(expected) + " (the engine's layout of input "
                    + network.inputShape() + ", code " + network.codeShape() + ")", Arrays.toString(expected),
                    Arrays.toString(array.shape()));
        }
    }

    private INDArray batch() {
        if (batch == null) {
            batch = SyntheticBatch.of(network.inputShape(), network.range(), DEFAULT_BATCH_SIZE);
        }
        return batch;
    }

    private Engine untrained() {
        if (untrained == null) {
            untrained = build();
        }
        return untrained;
    }

    private Engine build() {
        return run("building the network", () -> Engines.create(network, network.training(), network.loss()));
    }

    // The network under test is the thing that may be broken: its exceptions become failures that say what was being done.
    private <V> V run(String what, Supplier<V> step) {
        try {
            return step.get();
        } catch (AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            throw Failures.of(network.modelName() + ": " + what + " failed", e);
        }
    }

    static String num(double v) {
        if (v == 0) {
            return "0";
        }
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double magnitude = Math.abs(v);
        return magnitude >= 1e-3 && magnitude < 1e5
                ? String.format(Locale.ROOT, "%.4g", v).replaceFirst("(\\.\\d*?)0+$", "$1").replaceFirst("\\.$", "")
                : String.format(Locale.ROOT, "%.3e", v);
    }
}
