package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.OneDnn.check;
import static dev.latent.runtime.engine.OneDnnContext.layoutOf;
import static dev.latent.runtime.engine.OneDnnContext.query;
import static dev.latent.runtime.engine.OneDnnContext.same;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_aBcd16b;
import static org.bytedeco.dnnl.global.dnnl.dnnl_aBcd8b;
import static org.bytedeco.dnnl.global.dnnl.dnnl_backward;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu_isa_avx512_core;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_get_effective_cpu_isa;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_global_stats;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_scale;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_shift;

import java.util.function.Supplier;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch size's batch normalisation over channel axis 1 of {@code [n, C, H, W]} values,
 * computed by oneDNN in the layout the previous layer left them (the output and the gradients
 * stay in it); plain images are reordered into channel blocks first, where oneDNN is three times
 * faster. Scale and shift are DL4J's gamma and beta views, and their gradients go straight
 * into DL4J's gradient views. Training uses the batch's mean and biased variance, which oneDNN
 * writes into {@link #mean()} and {@link #variance()}; inference uses the given global ones. The
 * primitives are made on the first call, for the layout that call's input is in, and again if a
 * later input comes in another.
 */
final class OneDnnBatchNorm {
    /** oneDNN's channel blocks on this CPU, as its convolutions choose them: 16 with AVX-512, else 8. */
    private static final int BLOCKED_TAG =
            (dnnl_get_effective_cpu_isa() & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core ? dnnl_aBcd16b : dnnl_aBcd8b;
    private final OneDnnContext context = new OneDnnContext();
    private final long[] dims;
    private final dnnl_memory_desc_t plainLayout;
    private final float epsilon;
    private final INDArray mean;
    private final INDArray variance;
    private dnnl_memory_desc_t layout;
    private dnnl_memory_desc_t outputLayout;
    private OneDnnContext.Primitive training;
    private OneDnnContext.Primitive inference;
    private OneDnnContext.Primitive backward;
    private OneDnnContext.Adapter gradientToLayout;
    private INDArray input;
    private INDArray output;
    private INDArray inputGradient;
    private dnnl_memory_desc_t inputGradientLayout;
    private OneDnnContext.Adapter toBlocks;
    private Supplier<INDArray> plainOutput;
    private Supplier<INDArray> plainInputGradient;
    private long[] tensorShape;

    /** For values of {@code dims}, {@code [n, C, H, W]} (a vector's {@code [n, C, 1, 1]}). */
    OneDnnBatchNorm(long[] dims, double epsilon) {
        this.dims = dims.clone();
        this.plainLayout = OneDnnContext.plain(dims);
        this.epsilon = (float) epsilon;
        this.mean = Nd4j.create(DataType.FLOAT, dims[1]);
        this.variance = Nd4j.create(DataType.FLOAT, dims[1]);
    }

    /** The last training call's batch mean, one value a channel. */
    INDArray mean() {
        return mean;
    }

    /** The last training call's biased batch variance, one value a channel. */
    INDArray variance() {
        return variance;
    }

    /** Normalised by the batch's own statistics, valid until the next call. */
    Tensor forwardTraining(Tensor in, INDArray gamma, INDArray beta) {
        prepare(in);
        training.run(input, gamma, beta, output, mean, variance);
        context.await();
        return result(output, outputLayout, plainOutput);
    }

    /** Normalised by {@code globalMean} and {@code globalVariance}, valid until the next call. */
    Tensor forwardInference(Tensor in, INDArray gamma, INDArray beta, INDArray globalMean, INDArray globalVariance) {
        prepare(in);
        inference.run(input, globalMean, globalVariance, gamma, beta, output);
        context.await();
        return result(output, outputLayout, plainOutput);
    }

    /**
     * The gradient at the last training call's input; gamma's and beta's gradients into
     * {@code gammaGradient} and {@code betaGradient}.
     */
    Tensor backward(Tensor outputGradient, INDArray gamma, INDArray beta, INDArray gammaGradient, INDArray betaGradient) {
        INDArray gradient = outputGradient.layout() != null
                ? gradientToLayout.in(outputGradient.storage(), outputGradient.layout())
                : gradientToLayout.in(dense(outputGradient.storage()), plainLayout);
        // oneDNN 2.5 asks for the shift too, though the gradient does not depend on it.
        backward.run(input, mean, variance, gradient, gamma, beta, inputGradient, gammaGradient, betaGradient);
        context.await();
        return result(inputGradient, inputGradientLayout, plainInputGradient);
    }

    /**
     * {@code values}, in this layer's layout, as a tensor of the input's shape: plain values
     * when the layout is the plain one (a vector's or a sequence's always is).
     */
    private Tensor result(INDArray values, dnnl_memory_desc_t valuesLayout, Supplier<INDArray> plainCopies) {
        if (same(valuesLayout, plainLayout)) {
            return Tensor.plain(values.reshape('c', tensorShape));
        }
        return Tensor.laidOut(values, valuesLayout, tensorShape, plainCopies);
    }

    private void prepare(Tensor in) {
        tensorShape = in.shape().clone();
        if (in.layout() != null) {
            use(layoutOf(in));
            input = in.storage();
        } else if (tensorShape.length == 4 && dims[2] * dims[3] > 1) {
            // Plain images go into channel blocks, and the output and input gradient stay in them:
            // forward and backward on [64, 16, 28, 28] took 3.4 ms on NCHW, 1.1 ms with the reorders.
            if (toBlocks == null) {
                toBlocks = context.adapter(OneDnnContext.desc(dims, BLOCKED_TAG));
            }
            use(OneDnnContext.desc(dims, BLOCKED_TAG));
            input = toBlocks.in(dense(in.storage()), plainLayout);
            context.await();
        } else {
            use(plainLayout);
            input = dense(in.storage());
        }
    }

    private void use(dnnl_memory_desc_t given) {
        if (layout == null || !same(given, layout)) {
            build(given);
        }
    }

    /** {@code values} as one row-major block of floats, copied only if it is not one already. */
    private static INDArray dense(INDArray values) {
        boolean dense = values.dataType() == DataType.FLOAT && values.ordering() == 'c' && values.elementWiseStride() == 1;
        return dense ? values : values.dup('c');
    }

    private void build(dnnl_memory_desc_t given) {
        layout = given;
        dnnl_memory_desc_t statistics = OneDnnContext.plain(new long[] {dims[1]});
        int scaleAndShift = dnnl_use_scale | dnnl_use_shift;

        dnnl_batch_normalization_desc_t trainingOp = new dnnl_batch_normalization_desc_t();
        check(dnnl_batch_normalization_forward_desc_init(trainingOp, dnnl_forward_training, layout, epsilon,
                scaleAndShift), "batch normalisation descriptor");
        dnnl_primitive_desc trainingPd = context.describe(new const_dnnl_op_desc_t(trainingOp), null, null);
        outputLayout = query(trainingPd, dnnl_query_dst_md);
        training = context.primitive(trainingPd,
                new int[] {DNNL_ARG_SRC, DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_DST, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE},
                layout, statistics, statistics, outputLayout, statistics, statistics);

        dnnl_batch_normalization_desc_t inferenceOp = new dnnl_batch_normalization_desc_t();
        check(dnnl_batch_normalization_forward_desc_init(inferenceOp, dnnl_forward_inference, layout, epsilon,
                scaleAndShift | dnnl_use_global_stats), "batch normalisation descriptor");
        dnnl_primitive_desc inferencePd = context.describe(new const_dnnl_op_desc_t(inferenceOp), null, null);
        inference = context.primitive(inferencePd,
                new int[] {DNNL_ARG_SRC, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE, DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_DST},
                layout, statistics, statistics, statistics, statistics, query(inferencePd, dnnl_query_dst_md));

        dnnl_batch_normalization_desc_t backwardOp = new dnnl_batch_normalization_desc_t();
        check(dnnl_batch_normalization_backward_desc_init(backwardOp, dnnl_backward, layout, layout, epsilon,
                scaleAndShift), "batch normalisation gradient descriptor");
        dnnl_primitive_desc backwardPd = context.describe(new const_dnnl_op_desc_t(backwardOp), null, trainingPd);
        dnnl_memory_desc_t outputGradientLayout = query(backwardPd, dnnl_query_diff_dst_md);
        inputGradientLayout = query(backwardPd, dnnl_query_diff_src_md);
        backward = context.primitive(backwardPd,
                new int[] {DNNL_ARG_SRC, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE, DNNL_ARG_DIFF_DST, DNNL_ARG_SCALE,
                        DNNL_ARG_SHIFT, DNNL_ARG_DIFF_SRC, DNNL_ARG_DIFF_SCALE, DNNL_ARG_DIFF_SHIFT},
                layout, statistics, statistics, outputGradientLayout, statistics, statistics, inputGradientLayout,
                statistics, statistics);
        gradientToLayout = context.adapter(outputGradientLayout);

        output = OneDnnContext.buffer(outputLayout);
        inputGradient = OneDnnContext.buffer(inputGradientLayout);
        plainOutput = context.plainCopies(outputLayout, output, dims);
        plainInputGradient = context.plainCopies(inputGradientLayout, inputGradient, dims);
    }
}
