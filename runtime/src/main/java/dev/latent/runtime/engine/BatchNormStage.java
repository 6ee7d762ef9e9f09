package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.StageSupport.buffer;

import java.util.Arrays;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's {@link BatchNormalization} layer as the generated code configures it (learned gamma and
 * beta, NCHW): per channel of an image {@code [n, C, H, W]}, per feature of a vector {@code [n, N]}
 * or of a sequence {@code [n, F, T]} (over the batch and the time steps, as Keras does; DL4J's own
 * layer refuses sequences). Training normalises by the batch's mean and biased variance; inference
 * by the global estimates in DL4J's parameter view, with the same epsilon.
 *
 * <p>DL4J moves its global estimates by "gradients" that a no-op updater leaves as they are:
 * {@code mean - batchMean} times {@code 1 - decay}, and for the log10 standard deviation
 * {@code log10(std) - log10(std')}, where {@code var' = decay var + (1 - decay) batchVar}. This
 * stage writes them into the layer's gradient view in {@link #backward}, where DL4J writes them,
 * so the updater blocks and the parameters' {@code subi} give DL4J's estimates after each step.
 * Unlike gamma's and beta's, these entries are not divided by the batch size.
 *
 * <p>Through oneDNN's batch normalisation ({@link OneDnnBatchNorm}) in the layout the previous
 * layer left, or through libnd4j's {@code batchnorm} and {@code batchnorm_bp} ops on plain values.
 */
final class BatchNormStage implements Stage {
    private static final double ONE_ON_2LOGE_10 = 1.0 / (2 * Math.log(10.0));
    private static final int[] BATCH_AND_SPACE = {0, 2, 3};

    private final boolean throughOneDnn;
    private final double decay;
    private final double epsilon;
    private final boolean logStd;
    private final INDArray gamma;
    private final INDArray beta;
    private final INDArray globalMean;
    /** The global log10 standard deviation, or the global variance when the layer keeps that. */
    private final INDArray globalSpread;
    private final INDArray gammaGradient;
    private final INDArray betaGradient;
    private final INDArray globalMeanStep;
    private final INDArray globalSpreadStep;
    private final INDArray globalVariance;
    private final float[] statistics;
    private OneDnnBatchNorm oneDnn;
    private long[] dims;
    private long[] inputShape;
    private boolean trained;
    // The libnd4j path's arrays.
    private INDArray input;
    private INDArray batchMean;
    private INDArray batchVariance;
    private INDArray output;
    private INDArray inputGradient;
    private INDArray meanGradient;
    private INDArray varianceGradient;

    /**
     * The stage for DL4J's trained batch-normalisation {@code layer}, reading and writing its
     * parameter and gradient views; through oneDNN when {@code throughOneDnn} (which needs
     * {@link OneDnn#available()}), else through libnd4j's ops.
     */
    BatchNormStage(Layer layer, boolean throughOneDnn) {
        if (!(layer.conf().getLayer() instanceof BatchNormalization conf)) {
            throw new IllegalArgumentException("a batch-normalisation stage was asked for DL4J's "
                    + layer.conf().getLayer().getClass().getSimpleName() + " layer " + layer.conf().getLayer().getLayerName());
        }
        if (conf.isLockGammaBeta() || conf.getCnn2DFormat() != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException("batch normalisation with fixed gamma and beta or channels last is not"
                    + " computed here; the generated code learns gamma and beta on NCHW values");
        }
        if (throughOneDnn && !OneDnn.available()) {
            throw new IllegalStateException("oneDNN's natives are not loaded; use libnd4j's ops");
        }
        this.throughOneDnn = throughOneDnn;
        this.decay = conf.getDecay();
        this.epsilon = conf.getEps();
        this.logStd = conf.isUseLogStd();
        String spreadKey = logStd ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                : BatchNormalizationParamInitializer.GLOBAL_VAR;
        Map<String, INDArray> gradients = conf.initializer().getGradientsFromFlattened(layer.conf(),
                layer.getGradientsViewArray());
        this.gamma = vector(layer.getParam(BatchNormalizationParamInitializer.GAMMA));
        this.beta = vector(layer.getParam(BatchNormalizationParamInitializer.BETA));
        this.globalMean = vector(layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN));
        this.globalSpread = vector(layer.getParam(spreadKey));
        this.gammaGradient = vector(gradients.get(BatchNormalizationParamInitializer.GAMMA));
        this.betaGradient = vector(gradients.get(BatchNormalizationParamInitializer.BETA));
        this.globalMeanStep = vector(gradients.get(BatchNormalizationParamInitializer.GLOBAL_MEAN));
        this.globalSpreadStep = vector(gradients.get(spreadKey));
        int channels = (int) gamma.length();
        this.globalVariance = Nd4j.create(DataType.FLOAT, channels);
        this.statistics = new float[4 * channels];
    }

    private static INDArray vector(INDArray view) {
        if (view.dataType() != DataType.FLOAT || view.elementWiseStride() != 1) {
            throw new IllegalArgumentException("batch normalisation takes dense float parameters, found "
                    + view.shapeInfoToString());
        }
        return view.reshape(view.length());
    }

    @Override
    public Tensor forward(Tensor in, boolean training) {
        long[] shape = in.shape();
        inputShape = shape.clone();
        if (dims == null || !Arrays.equals(dims, channelsFirst(shape))) {
            dims = channelsFirst(shape);
            oneDnn = throughOneDnn ? new OneDnnBatchNorm(dims, epsilon) : null;
            output = null;
        }
        if (dims[1] != gamma.length()) {
            throw new IllegalArgumentException("batch normalisation of " + gamma.length() + " channels was given values of shape "
                    + Arrays.toString(shape));
        }
        trained = training;
        if (!training) {
            computeGlobalVariance();
        }
        if (oneDnn != null) {
            return training ? oneDnn.forwardTraining(in, gamma, beta)
                    : oneDnn.forwardInference(in, gamma, beta, globalMean, globalVariance);
        }
        return Tensor.plain(libnd4jForward(in.plain(), training).reshape('c', shape));
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean needInputGradient) {
        if (!trained) {
            throw new IllegalStateException("batch normalisation: a backward pass needs a forward pass in training mode");
        }
        Tensor result;
        if (oneDnn != null) {
            result = oneDnn.backward(outputGradient, gamma, beta, gammaGradient, betaGradient);
            writeGlobalSteps(oneDnn.mean(), oneDnn.variance());
        } else {
            result = Tensor.plain(libnd4jBackward(outputGradient.plain()).reshape('c', inputShape));
            writeGlobalSteps(batchMean, batchVariance);
        }
        return needInputGradient ? result : null;
    }

    /** {@code [n, C, H, W]} for values of {@code shape}: a vector {@code [n, C, 1, 1]}, a sequence {@code [n, F, T, 1]}. */
    static long[] channelsFirst(long[] shape) {
        return switch (shape.length) {
            case 2 -> new long[] {shape[0], shape[1], 1, 1};
            case 3 -> new long[] {shape[0], shape[1], shape[2], 1};
            case 4 -> shape.clone();
            default -> throw new IllegalArgumentException("batch normalisation takes vectors, sequences or images, not"
                    + " values of shape " + Arrays.toString(shape));
        };
    }

    /** libnd4j's ops on {@code [n, C, H, W]}, the batch's statistics computed as DL4J's helper computes them. */
    private INDArray libnd4jForward(INDArray values, boolean training) {
        input = values.reshape('c', dims);
        if (output == null) {
            output = buffer(dims);
            inputGradient = buffer(dims);
            batchMean = Nd4j.create(DataType.FLOAT, dims[1]);
            batchVariance = Nd4j.create(DataType.FLOAT, dims[1]);
            meanGradient = Nd4j.create(DataType.FLOAT, dims[1]);
            varianceGradient = Nd4j.create(DataType.FLOAT, dims[1]);
        }
        INDArray mean = globalMean;
        INDArray variance = globalVariance;
        if (training) {
            input.mean(batchMean, BATCH_AND_SPACE);
            Nd4j.exec(new Variance(input, batchVariance, false, BATCH_AND_SPACE));
            mean = batchMean;
            variance = batchVariance;
        }
        Nd4j.exec(op("batchnorm", new INDArray[] {input, mean, variance, gamma, beta}, new INDArray[] {output}));
        return output;
    }

    private INDArray libnd4jBackward(INDArray gradient) {
        INDArray delta = gradient.reshape('c', dims);
        Nd4j.exec(op("batchnorm_bp", new INDArray[] {input, batchMean, batchVariance, gamma, beta, delta},
                new INDArray[] {inputGradient, meanGradient, varianceGradient, gammaGradient, betaGradient}));
        return inputGradient;
    }

    private DynamicCustomOp op(String name, INDArray[] inputs, INDArray[] outputs) {
        // Apply gamma, apply beta, channels on axis 1.
        return DynamicCustomOp.builder(name).addInputs(inputs).addOutputs(outputs).addIntegerArguments(1, 1, 1)
                .addFloatingPointArguments(epsilon).build();
    }

    /** The global variance that inference divides by: DL4J's {@code (10^log10std)^2}, or the variance it keeps. */
    private void computeGlobalVariance() {
        int channels = (int) gamma.length();
        float[] values = statistics;
        read(globalSpread, values, 0, channels);
        for (int c = 0; c < channels; c++) {
            float std = logStd ? (float) Math.pow(10.0, values[c]) : 0f;
            values[c] = logStd ? std * std : values[c];
        }
        write(values, 0, channels, globalVariance);
    }

    /**
     * The global estimates' steps into the gradient view, as DL4J's layer computes them from the
     * estimates before this step and the batch's {@code mean} and biased {@code variance}, in
     * float as DL4J does.
     */
    private void writeGlobalSteps(INDArray mean, INDArray variance) {
        int channels = (int) gamma.length();
        float[] v = statistics;
        int batchMeanAt = channels;
        int batchVarianceAt = 2 * channels;
        int spreadAt = 3 * channels;
        read(globalMean, v, 0, channels);
        read(mean, v, batchMeanAt, channels);
        read(variance, v, batchVarianceAt, channels);
        read(globalSpread, v, spreadAt, channels);
        float rest = (float) (1 - decay);
        float kept = (float) decay;
        float toLog10Std = (float) ONE_ON_2LOGE_10;
        for (int c = 0; c < channels; c++) {
            v[c] = (v[c] - v[batchMeanAt + c]) * rest;
            if (logStd) {
                float std = (float) Math.pow(10.0, v[spreadAt + c]);
                float previous = std * std;
                float next = previous * kept + v[batchVarianceAt + c] * rest;
                v[spreadAt + c] = (float) Math.log(previous / next) * toLog10Std;
            } else {
                v[spreadAt + c] = (v[spreadAt + c] - v[batchVarianceAt + c]) * rest;
            }
        }
        write(v, 0, channels, globalMeanStep);
        write(v, spreadAt, channels, globalSpreadStep);
    }

    private static void read(INDArray array, float[] into, int offset, int length) {
        new FloatPointer(array.data().addressPointer()).get(into, offset, length);
    }

    private static void write(float[] from, int offset, int length, INDArray array) {
        new FloatPointer(array.data().addressPointer()).put(from, offset, length);
    }
}
