package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.OneDnn.check;
import static dev.latent.runtime.engine.OneDnnContext.layoutOf;
import static dev.latent.runtime.engine.OneDnnContext.query;
import static dev.latent.runtime.engine.OneDnnContext.same;
import static dev.latent.runtime.engine.OneDnnContext.shaped;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_resampling_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_resampling_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_resampling_nearest;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_resampling_desc_t;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch size's nearest-neighbour upsampling by whole factors, computed by oneDNN's
 * resampling on {@link Tensor}s in the layout the previous layer left them, so a convolution's
 * blocked output is upsampled without a reorder to NCHW and back. With whole factors oneDNN's
 * nearest neighbour repeats each value, as DL4J's {@code Upsampling2D}, and its gradient sums
 * each block's.
 */
final class OneDnnResampling {
    // The same fields as OneDnnPooling, on purpose: both are a oneDNN primitive pair over a
    // window, with the output's layout adopted for its gradient.
    private final OneDnnContext context = new OneDnnContext();
    private final long[] inputShape;
    private final long[] outputShape;
    private final float[] factors;
    private dnnl_memory_desc_t inputLayout;
    private dnnl_memory_desc_t outputLayout;
    private OneDnnContext.Primitive forward;
    private OneDnnContext.Primitive backward;
    private OneDnnContext.Adapter gradientToOutput;
    private INDArray output;
    private INDArray inputGradient;
    private dnnl_memory_desc_t inputGradientLayout;
    private java.util.function.Supplier<INDArray> plainOutput;
    private java.util.function.Supplier<INDArray> plainInputGradient;

    OneDnnResampling(long[] input, int height, int width) {
        this.inputShape = input.clone();
        this.outputShape = new long[] {input[0], input[1], input[2] * height, input[3] * width};
        this.factors = new float[] {height, width};
    }

    /** The upsampled values, in the layout oneDNN chose for them, valid until the next call. */
    Tensor forward(Tensor input) {
        input = shaped(input, inputShape);
        dnnl_memory_desc_t layout = layoutOf(input);
        if (inputLayout == null || !same(layout, inputLayout)) {
            build(layout);
        }
        forward.run(input.storage(), output);
        context.await();
        return Tensor.laidOut(output, outputLayout, outputShape, plainOutput);
    }

    /** The gradient at the last call's input, from the gradient at its output. */
    Tensor backward(Tensor outputGradient) {
        backward.run(gradientToOutput.in(shaped(outputGradient, outputShape)), inputGradient);
        context.await();
        return Tensor.laidOut(inputGradient, inputGradientLayout, inputShape, plainInputGradient);
    }

    /** oneDNN's forward descriptor of this resampling, for training or inference. */
    static dnnl_resampling_desc_t forwardOp(int kind, float[] factors, dnnl_memory_desc_t input, long[] outputShape) {
        dnnl_resampling_desc_t op = new dnnl_resampling_desc_t();
        check(dnnl_resampling_forward_desc_init(op, kind, dnnl_resampling_nearest, factors, input,
                OneDnnContext.desc(outputShape, dnnl_format_tag_any)), "resampling descriptor");
        return op;
    }

    private void build(dnnl_memory_desc_t layout) {
        inputLayout = layout;
        dnnl_primitive_desc forwardPd = context.describe(
                new const_dnnl_op_desc_t(forwardOp(dnnl_forward_training, factors, layout, outputShape)), null, null);
        outputLayout = query(forwardPd, dnnl_query_dst_md);
        forward = context.primitive(forwardPd, new int[] {DNNL_ARG_SRC, DNNL_ARG_DST}, layout, outputLayout);
        output = OneDnnContext.buffer(outputLayout);

        dnnl_resampling_desc_t backwardOp = new dnnl_resampling_desc_t();
        check(dnnl_resampling_backward_desc_init(backwardOp, dnnl_resampling_nearest, factors,
                OneDnnContext.desc(inputShape, dnnl_format_tag_any), outputLayout), "resampling-gradient descriptor");
        dnnl_primitive_desc backwardPd = context.describe(new const_dnnl_op_desc_t(backwardOp), null, forwardPd);
        dnnl_memory_desc_t outputGradientLayout = query(backwardPd, dnnl_query_diff_dst_md);
        inputGradientLayout = query(backwardPd, dnnl_query_diff_src_md);
        backward = context.primitive(backwardPd, new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC},
                outputGradientLayout, inputGradientLayout);
        gradientToOutput = context.adapter(outputGradientLayout);
        inputGradient = OneDnnContext.buffer(inputGradientLayout);
        plainOutput = context.plainCopies(outputLayout, output, outputShape);
        plainInputGradient = context.plainCopies(inputGradientLayout, inputGradient, inputShape);
    }
}
