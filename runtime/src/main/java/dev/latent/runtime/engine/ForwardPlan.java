package dev.latent.runtime.engine;

import dev.latent.runtime.NativeSettings;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Upsampling2d;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@link SameDiffEngine}'s network as a straight list of ND4J ops, for inference. SameDiff's
 * own executor spends about 2 ms of Java bookkeeping per call on the seed's conv model (it
 * resolves every op's dependencies, shapes and arrays afresh), which is twice the arithmetic of
 * denoising one image; a fixed sequence of the same libnd4j ops, with the graph's current
 * weights, costs only the arithmetic. The ops are the ones the graph runs, so oneDNN computes
 * the convolutions here too, and the results agree with the graph's (SameDiffEngineTest).
 */
final class ForwardPlan {
    /** One layer's computation on a batch. */
    @FunctionalInterface
    private interface Step {
        INDArray apply(INDArray in, SameDiff weights);
    }

    /** Batches up to this size run on one thread; see {@link #apply}. */
    private static final int SINGLE_THREAD_BATCH = 8;

    private final List<Step> steps = new ArrayList<>();
    /** Steps up to here compute the latent code; -1 when no layer was marked as the encoder's. */
    private int codeStep = -1;

    /** A reshape to {@code shapeWithBatch}, whose first dimension is replaced by the batch size. */
    void reshape(long[] shapeWithBatch) {
        steps.add((in, weights) -> {
            long[] target = shapeWithBatch.clone();
            target[0] = in.size(0);
            return in.reshape('c', target);
        });
    }

    void dense(String w, String b, IActivation activation) {
        steps.add((in, weights) -> {
            INDArray kernel = weights.getArrForVarName(w);
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, in.size(0), kernel.size(1));
            Nd4j.gemm(in, kernel, out, false, false, 1.0, 0.0);
            out.addiRowVector(weights.getArrForVarName(b));
            return activation.getActivation(out, false);
        });
    }

    void conv(String w, String b, Conv2DConfig config, IActivation activation) {
        steps.add((in, weights) -> {
            INDArray out = Nd4j.exec(new Conv2D(new INDArray[] {in, weights.getArrForVarName(w),
                    weights.getArrForVarName(b).reshape(-1)}, null, config))[0];
            return activation.getActivation(out, false);
        });
    }

    /**
     * A {@code VALID} transposed convolution, cropped to {@code height x width} when that is
     * smaller: half of the surplus (rounded down) from the start, the rest from the end, as a
     * {@code SAME} one is.
     */
    void deconv(String w, String b, DeConv2DConfig config, long height, long width, IActivation activation) {
        steps.add((in, weights) -> {
            INDArray out = Nd4j.exec(new DeConv2D(new INDArray[] {in, weights.getArrForVarName(w),
                    weights.getArrForVarName(b).reshape(-1)}, null, config))[0];
            if (out.size(2) != height || out.size(3) != width) {
                long top = (out.size(2) - height) / 2;
                long left = (out.size(3) - width) / 2;
                out = out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(top, top + height),
                        NDArrayIndex.interval(left, left + width)).dup('c');
            }
            return activation.getActivation(out, false);
        });
    }

    void maxPool(Pooling2DConfig config) {
        steps.add((in, weights) -> Nd4j.exec(new MaxPooling2D(in, config))[0]);
    }

    void upsample(int height, int width) {
        steps.add((in, weights) -> Nd4j.exec(new Upsampling2d(in, height, width, true))[0]);
    }

    /** Marks the steps added so far as the encoder's: the code is their output. */
    void markCode() {
        codeStep = steps.size();
    }

    /** Whether {@link #encode} and {@link #decode} can run: an encoder was marked. */
    boolean knowsCode() {
        return codeStep >= 0;
    }

    /** The network's output for {@code input}, computed with the weights {@code weights} holds now. */
    INDArray apply(INDArray input, SameDiff weights) {
        return run(input, weights, 0, steps.size());
    }

    /** The latent code of {@code input}: the encoder's steps alone. */
    INDArray encode(INDArray input, SameDiff weights) {
        return run(input, weights, 0, codeStep);
    }

    /** The reconstruction from {@code code}: the decoder's steps alone. */
    INDArray decode(INDArray code, SameDiff weights) {
        return run(code, weights, codeStep, steps.size());
    }

    /** Steps {@code from} (inclusive) to {@code to} (exclusive), a few samples on one thread. */
    private INDArray run(INDArray input, SameDiff weights, int from, int to) {
        return onOneThreadIfFew(input.size(0), () -> {
            INDArray value = input;
            for (Step step : steps.subList(from, to)) {
                value = step.apply(value, weights);
            }
            return value;
        });
    }

    /**
     * Runs {@code work} on {@code samples} samples, on one OpenMP thread when they are few:
     * waking a second thread for each small op cost more than it saved (one image took 4 ms on
     * two threads through this plan, and 1.07 against 0.69 ms through oneDNN's chain). BLAS keeps
     * its threads, since switching them costs more than denoising one image.
     */
    static <T> T onOneThreadIfFew(long samples, java.util.function.Supplier<T> work) {
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
}
