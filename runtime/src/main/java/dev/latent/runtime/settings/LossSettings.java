package dev.latent.runtime.settings;

import dev.latent.dsl.LossFunction;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The reconstruction loss: a built-in {@link LossFunction} or a custom DL4J loss.
 * Built-in losses average over every element of a sample, as Keras does.
 */
public final class LossSettings {
    static {
        // Before this class's first use of ND4J loads the natives.
        Backend.select();
    }

    /** Keras' {@code epsilon()}, which clips predictions before binary cross-entropy takes their log. */
    private static final double BCE_EPSILON = 1e-7;

    private final LossFunction function;
    private final Supplier<? extends ILossFunction> custom;
    private final String customName;

    private LossSettings(LossFunction function, Supplier<? extends ILossFunction> custom, String customName) {
        this.function = function;
        this.custom = custom;
        this.customName = customName;
    }

    /** A built-in loss. */
    public static LossSettings of(LossFunction function) {
        return new LossSettings(Objects.requireNonNull(function, "function"), null, null);
    }

    /** A custom DL4J loss, made fresh for each network by {@code factory} (e.g. {@code MyLoss::new}). */
    public static LossSettings custom(String name, Supplier<? extends ILossFunction> factory) {
        return new LossSettings(null, Objects.requireNonNull(factory, "factory"), Objects.requireNonNull(name, "name"));
    }

    /** The built-in loss, or null when custom. */
    public LossFunction function() {
        return function;
    }

    /** Whether this is a custom DL4J loss. */
    public boolean isCustom() {
        return custom != null;
    }

    /** The DL4J loss the output layer trains with. */
    public ILossFunction toDl4j() {
        if (custom != null) {
            return custom.get();
        }
        return switch (function) {
            case MSE -> new LossMSE();
            case MAE -> new LossMAE();
            case BINARY_CROSSENTROPY -> new MeanBinaryCrossEntropy();
        };
    }

    /**
     * The loss of {@code reconstruction} against {@code clean} (same shape, any layout), as Keras
     * reports it: the mean over a sample's elements, then over the samples. Binary cross-entropy
     * clips the reconstruction to {@code [1e-7, 1 - 1e-7]} as Keras does. A custom loss is scored
     * by its own {@code computeScore} on the samples flattened, with an identity activation.
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public double evaluate(INDArray reconstruction, INDArray clean) {
        if (!Arrays.equals(reconstruction.shape(), clean.shape())) {
            throw new IllegalArgumentException("reconstruction " + Arrays.toString(reconstruction.shape())
                    + " and clean data " + Arrays.toString(clean.shape()) + " differ in shape");
        }
        long n = clean.size(0);
        long perSample = clean.length() / n;
        if (custom != null) {
            INDArray labels = clean.reshape('c', n, perSample);
            INDArray output = reconstruction.castTo(clean.dataType()).reshape('c', n, perSample);
            return custom.get().computeScore(labels, output, new ActivationIdentity(), null, true);
        }
        // Doubles: a float sum over a whole validation set loses digits the diagnosis compares.
        INDArray y = clean.castTo(DataType.DOUBLE);
        // castTo returns the array itself when it already is double; p is changed in place below.
        INDArray p = reconstruction.dataType() == DataType.DOUBLE ? reconstruction.dup() : reconstruction.castTo(DataType.DOUBLE);
        INDArray elementLoss = switch (function) {
            case MSE -> {
                INDArray diff = p.subi(y);
                yield diff.muli(diff);
            }
            case MAE -> Transforms.abs(p.subi(y), false);
            case BINARY_CROSSENTROPY -> {
                INDArray clipped = Transforms.min(Transforms.max(p, BCE_EPSILON, false), 1.0 - BCE_EPSILON, false);
                INDArray logP = Transforms.log(clipped, true);
                INDArray logNotP = Transforms.log(clipped.rsubi(1.0), false);
                yield logP.muli(y).addi(logNotP.muli(y.rsub(1.0))).negi();
            }
        };
        return elementLoss.meanNumber().doubleValue();
    }

    @Override
    public String toString() {
        return custom != null ? "custom " + customName : function.name();
    }
}
