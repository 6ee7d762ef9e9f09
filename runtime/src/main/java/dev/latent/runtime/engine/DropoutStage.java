package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.buffer;

import java.util.Arrays;
import java.util.function.Supplier;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's {@link DropoutLayer} with {@code Dropout(p)}, as the generated code configures it for
 * Keras' {@code Dropout(rate)} ({@code p = 1 - rate}): in training each value is kept with
 * probability {@code p} and scaled by {@code 1 / p}, else zeroed, and the gradient goes back
 * through the same mask; in inference the values pass unchanged.
 *
 * <p>The masks come from this stage's own {@link MaskRandom}, not ND4J's generator, so a run is
 * reproducible from its seed and a checkpoint that keeps {@link #randomState()} resumes it bit
 * for bit. A mask is drawn over the values in row-major (NCHW) order, whatever layout they came
 * in, so it does not depend on the backend; values in one of oneDNN's layouts stay in it (the
 * mask is reordered into it).
 */
final class DropoutStage implements RandomStage {
    private final double keep;
    private final float scale;
    private final MaskRandom random;
    private INDArray mask;
    private float[] draws;
    private long[] words;
    private INDArray output;
    private INDArray inputGradient;
    private INDArray fixedMask;
    private boolean trained;
    private InLayout laidOut;
    /** The last training pass's values' layout, or null when they were plain. */
    private InLayout inLayout;

    /** Keeping each value with probability {@code keep}, the masks drawn from a generator keyed by {@code seed}. */
    DropoutStage(double keep, long seed) {
        this(keep, new MaskRandom(seed));
    }

    /**
     * Keeping each value with probability {@code keep}, the masks drawn from {@code random}, which
     * the layer's stages for other batch sizes may share.
     */
    DropoutStage(double keep, MaskRandom random) {
        if (!(keep > 0 && keep <= 1)) {
            throw new IllegalArgumentException("dropout keeps each value with a probability in (0, 1], not " + keep);
        }
        this.keep = keep;
        this.scale = 1f / (float) keep;
        this.random = random;
    }

    /** The probability that DL4J's dropout layer {@code layer} keeps a value: its {@code Dropout}'s fixed {@code p}. */
    static double keepProbability(DropoutLayer layer) {
        IDropout dropout = layer.getIDropout();
        if (!(dropout instanceof Dropout plain) || plain.getPSchedule() != null) {
            throw new IllegalArgumentException("only dropout with a fixed probability is computed here, not " + dropout);
        }
        return plain.getP();
    }

    @Override
    public long[] randomState() {
        return random.state();
    }

    @Override
    public void restoreRandomState(long[] state) {
        random.restore(state);
    }

    /**
     * Makes every later training pass use {@code keptWhereNonZero} (of the input's shape, non-zero
     * where a value is kept) instead of a drawn mask, without drawing; null draws again. For
     * comparing with DL4J's layer on DL4J's own mask.
     */
    void useMask(INDArray keptWhereNonZero) {
        fixedMask = keptWhereNonZero == null ? null
                : keptWhereNonZero.neq(0).castTo(DataType.FLOAT).muli(scale).reshape('c', keptWhereNonZero.shape());
    }

    @Override
    public Tensor forward(Tensor in, boolean training) {
        trained = training;
        if (!training) {
            return in;
        }
        drawMask(in.shape());
        inLayout = null;
        if (in.layout() != null) {
            if (laidOut == null || !OneDnnContext.same(laidOut.layout, in.layout())) {
                laidOut = new InLayout(in.layout(), in.shape());
            }
            if (laidOut.fits(in.storage())) {
                inLayout = laidOut;
                return laidOut.forward(in.storage(), mask);
            }
        }
        Nd4j.exec(new MulOp(dense(in.plain()).reshape('c', mask.shape()), mask, output));
        return Tensor.plain(output);
    }

    /** The mask for values of {@code shape} into {@link #mask}: drawn, or the fixed one. */
    private void drawMask(long[] shape) {
        if (mask == null || !Arrays.equals(mask.shape(), shape)) {
            long length = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            if (length > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a batch of " + length + " values is too large for dropout");
            }
            mask = buffer(shape);
            output = buffer(shape);
            inputGradient = buffer(shape);
            draws = new float[(int) length];
            words = new long[(int) (length + 1) / 2];
        }
        if (fixedMask != null) {
            if (fixedMask.length() != mask.length()) {
                throw new IllegalArgumentException("the fixed dropout mask has " + fixedMask.length() + " values, the input "
                        + mask.length());
            }
            mask.assign(fixedMask.reshape('c', mask.shape()));
        } else {
            random.fill(draws, words, draws.length, keep, scale);
            new FloatPointer(mask.data().addressPointer()).put(draws, 0, draws.length);
        }
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        if (!trained) {
            throw new IllegalStateException("dropout: a backward pass needs a forward pass in training mode");
        }
        if (!needInputGradient) {
            return null;
        }
        if (inLayout != null && outputGradient.layout() != null) {
            return inLayout.backward(outputGradient);
        }
        INDArray gradient = dense(outputGradient.plain()).reshape('c', mask.shape());
        Nd4j.exec(new MulOp(gradient, mask, inputGradient));
        return Tensor.plain(inputGradient);
    }

    /**
     * The mask applied to values in one of oneDNN's layouts, where they stay: the row-major mask
     * reordered into that layout (its padding zero), then one product over the storage. So the
     * layers on either side keep their layouts, and the mask falls on the same values as on plain
     * ones.
     */
    private static final class InLayout {
        private final OneDnnContext context = new OneDnnContext();
        private final dnnl_memory_desc_t layout;
        private final OneDnnContext.Primitive toLayout;
        private final OneDnnContext.Adapter gradientToLayout;
        private final long[] shape;
        private final INDArray mask;
        private final INDArray output;
        private final INDArray inputGradient;
        private final Supplier<INDArray> plainOutput;
        private final Supplier<INDArray> plainInputGradient;

        InLayout(dnnl_memory_desc_t layout, long[] shape) {
            this.layout = layout;
            this.shape = shape.clone();
            this.toLayout = context.reorder(OneDnnContext.plain(shape), layout);
            this.gradientToLayout = context.adapter(layout);
            this.mask = OneDnnContext.buffer(layout);
            this.output = OneDnnContext.buffer(layout);
            this.inputGradient = OneDnnContext.buffer(layout);
            this.plainOutput = context.plainCopies(layout, output, shape);
            this.plainInputGradient = context.plainCopies(layout, inputGradient, shape);
        }

        /** Whether {@code storage} holds exactly this layout's values (else the values go through plain ones). */
        boolean fits(INDArray storage) {
            return storage.length() == mask.length() && storage.dataType() == DataType.FLOAT
                    && storage.elementWiseStride() == 1;
        }

        Tensor forward(INDArray storage, INDArray plainMask) {
            toLayout.run(plainMask, mask);
            context.await();
            Nd4j.exec(new MulOp(storage.reshape(mask.length()), mask, output));
            return Tensor.laidOut(output, layout, shape, plainOutput);
        }

        Tensor backward(Tensor outputGradient) {
            INDArray gradient = gradientToLayout.in(outputGradient);
            context.await();
            Nd4j.exec(new MulOp(gradient.reshape(mask.length()), mask, inputGradient));
            return Tensor.laidOut(inputGradient, layout, shape, plainInputGradient);
        }
    }

    private static INDArray dense(INDArray values) {
        boolean dense = values.dataType() == DataType.FLOAT && values.ordering() == 'c' && values.elementWiseStride() == 1;
        return dense ? values : values.castTo(DataType.FLOAT).dup('c');
    }
}
