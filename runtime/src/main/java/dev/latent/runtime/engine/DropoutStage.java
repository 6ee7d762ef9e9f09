package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.buffer;

import java.util.Arrays;
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
 * in, so it does not depend on the backend; values in oneDNN's layouts are reordered to plain
 * ones first.
 */
final class DropoutStage implements RandomStage {
    private final double keep;
    private final float scale;
    private final MaskRandom random;
    private INDArray mask;
    private float[] draws;
    private INDArray output;
    private INDArray inputGradient;
    private INDArray fixedMask;
    private boolean trained;

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
        INDArray values = dense(in.plain());
        if (mask == null || !Arrays.equals(mask.shape(), values.shape())) {
            if (values.length() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a batch of " + values.length() + " values is too large for dropout");
            }
            mask = buffer(values.shape());
            output = buffer(values.shape());
            inputGradient = buffer(values.shape());
            draws = new float[(int) values.length()];
        }
        if (fixedMask != null) {
            if (fixedMask.length() != mask.length()) {
                throw new IllegalArgumentException("the fixed dropout mask has " + fixedMask.length() + " values, the input "
                        + mask.length());
            }
            mask.assign(fixedMask.reshape('c', mask.shape()));
        } else {
            random.fill(draws, draws.length, keep, scale);
            new FloatPointer(mask.data().addressPointer()).put(draws, 0, draws.length);
        }
        Nd4j.exec(new MulOp(values, mask, output));
        return Tensor.plain(output);
    }

    @Override
    public OneDnnInference.Layer inferenceLayer(long[] inputShape) {
        return null;
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        if (!trained) {
            throw new IllegalStateException("dropout: a backward pass needs a forward pass in training mode");
        }
        if (!needInputGradient) {
            return null;
        }
        INDArray gradient = dense(outputGradient.plain()).reshape('c', mask.shape());
        Nd4j.exec(new MulOp(gradient, mask, inputGradient));
        return Tensor.plain(inputGradient);
    }

    private static INDArray dense(INDArray values) {
        boolean dense = values.dataType() == DataType.FLOAT && values.ordering() == 'c' && values.elementWiseStride() == 1;
        return dense ? values : values.castTo(DataType.FLOAT).dup('c');
    }
}
