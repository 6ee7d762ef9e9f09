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
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_max;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_workspace_md;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch size's 2-D max pooling, computed by oneDNN on {@link Tensor}s in the layout the
 * previous layer left them: libnd4j's pooling ops, which hand their work to oneDNN with NCHW
 * reorders around it, took 6.9 ms a step on the seed's conv model's two poolings. Padding never
 * wins a maximum, as in DL4J's {@code SAME} mode. Its primitives are made on the first call, for
 * the layout that call's input is in, and again if a later input comes in another.
 */
final class OneDnnPooling {
    private final OneDnnContext context = new OneDnnContext();
    private final long[] inputShape;
    private final long[] outputShape;
    private final long[] kernel;
    private final long[] strides;
    private final long[] before;
    private final long[] after;
    private dnnl_memory_desc_t inputLayout;
    private dnnl_memory_desc_t outputLayout;
    private OneDnnContext.Primitive forward;
    private OneDnnContext.Primitive backward;
    private OneDnnContext.Adapter gradientToOutput;
    private INDArray output;
    private INDArray workspace;
    private INDArray inputGradient;
    private dnnl_memory_desc_t inputGradientLayout;
    private java.util.function.Supplier<INDArray> plainOutput;
    private java.util.function.Supplier<INDArray> plainInputGradient;

    OneDnnPooling(long[] input, long[] output, int[] kernel, int[] stride, int[] padBefore, int[] padAfter) {
        this.inputShape = input.clone();
        this.outputShape = output.clone();
        this.kernel = new long[] {kernel[0], kernel[1]};
        this.strides = new long[] {stride[0], stride[1]};
        this.before = new long[] {padBefore[0], padBefore[1]};
        this.after = new long[] {padAfter[0], padAfter[1]};
    }

    /** The pooled values, in the layout oneDNN chose for them, valid until the next call. */
    Tensor forward(Tensor input) {
        input = shaped(input, inputShape);
        dnnl_memory_desc_t layout = layoutOf(input);
        if (inputLayout == null || !same(layout, inputLayout)) {
            build(layout);
        }
        forward.run(input.storage(), output, workspace);
        context.await();
        return Tensor.laidOut(output, outputLayout, outputShape, plainOutput);
    }

    /** The gradient at the last call's input, from the gradient at its output. */
    Tensor backward(Tensor outputGradient) {
        backward.run(gradientToOutput.in(shaped(outputGradient, outputShape)), workspace, inputGradient);
        context.await();
        return Tensor.laidOut(inputGradient, inputGradientLayout, inputShape, plainInputGradient);
    }

    private void build(dnnl_memory_desc_t layout) {
        inputLayout = layout;
        dnnl_pooling_desc_t forwardOp = new dnnl_pooling_desc_t();
        check(dnnl_pooling_forward_desc_init(forwardOp, dnnl_forward_training, dnnl_pooling_max, layout,
                OneDnnContext.desc(outputShape, dnnl_format_tag_any), strides, kernel, before, after), "pooling descriptor");
        dnnl_primitive_desc forwardPd = context.describe(new const_dnnl_op_desc_t(forwardOp), null, null);
        outputLayout = query(forwardPd, dnnl_query_dst_md);
        dnnl_memory_desc_t workspaceLayout = query(forwardPd, dnnl_query_workspace_md);
        forward = context.primitive(forwardPd, new int[] {DNNL_ARG_SRC, DNNL_ARG_DST, DNNL_ARG_WORKSPACE}, layout,
                outputLayout, workspaceLayout);
        output = OneDnnContext.buffer(outputLayout);
        workspace = OneDnnContext.buffer(workspaceLayout);

        dnnl_pooling_desc_t backwardOp = new dnnl_pooling_desc_t();
        check(dnnl_pooling_backward_desc_init(backwardOp, dnnl_pooling_max, OneDnnContext.desc(inputShape, dnnl_format_tag_any),
                outputLayout, strides, kernel, before, after), "pooling-gradient descriptor");
        dnnl_primitive_desc backwardPd = context.describe(new const_dnnl_op_desc_t(backwardOp), null, forwardPd);
        dnnl_memory_desc_t outputGradientLayout = query(backwardPd, dnnl_query_diff_dst_md);
        inputGradientLayout = query(backwardPd, dnnl_query_diff_src_md);
        backward = context.primitive(backwardPd, new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WORKSPACE, DNNL_ARG_DIFF_SRC},
                outputGradientLayout, workspaceLayout, inputGradientLayout);
        gradientToOutput = context.adapter(outputGradientLayout);
        inputGradient = OneDnnContext.buffer(inputGradientLayout);
        plainOutput = context.plainCopies(outputLayout, output, outputShape);
        plainInputGradient = context.plainCopies(inputGradientLayout, inputGradient, inputShape);
    }
}
