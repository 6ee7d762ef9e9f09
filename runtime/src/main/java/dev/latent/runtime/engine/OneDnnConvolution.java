package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.OneDnn.check;
import static dev.latent.runtime.engine.OneDnnContext.query;
import static dev.latent.runtime.engine.OneDnnContext.shaped;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_acdb;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_iohw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch size's 2-D convolution or transposed convolution with its activation, computed by
 * oneDNN itself through JavaCPP's presets ({@code org.bytedeco:dnnl}), on {@link Tensor}s: it
 * takes its input in whatever layout the previous layer left it (reordering only if its
 * primitive wants another) and hands on its output, and its input gradient, in the layouts its
 * primitives chose. libnd4j's ops on the same oneDNN took 48 ms a step for the seed's conv
 * model's five such layers; oneDNN's primitives alone take about 28.
 *
 * <p>The activation is a post-op of the convolution (a separate element-wise primitive after a
 * transposed one, which oneDNN 2.5 ran 3 to 5 times slower with a post-op), and its derivative an
 * element-wise backward primitive reading the output, in the output's layout: ReLU's derivative
 * through libnd4j took 1.9 ms on the first layer's output alone. A {@code SAME} transposed
 * convolution is one with padding on the right and bottom only, which is what DL4J's cropped one
 * computes. Kernels and their gradients are DL4J's views, reordered from and to oneDNN's layouts
 * each step.
 */
final class OneDnnConvolution implements ConvolutionKernel {
    /** Output channels at most this many (grey, RGB, RGBA) run channels-last instead of padded to a block of 16. */
    private static final int FEW_CHANNELS = 4;

    private final OneDnnContext context = new OneDnnContext();
    private final long[] inputShape;
    private final long[] outputShape;
    private final dnnl_memory_desc_t userWeights;
    private final dnnl_memory_desc_t sourceLayout;
    private final OneDnnContext.Adapter sourceToForward;
    private final OneDnnContext.Adapter weightsToForward;
    private final OneDnnContext.Primitive forward;
    private final OneDnnContext.Primitive activationForward;
    private final dnnl_memory_desc_t outputLayout;
    private final INDArray output;
    private final java.util.function.Supplier<INDArray> plainOutput;
    private final ConvolutionBackward gradients;
    private INDArray source;

    /**
     * @param input {@code [n, in, h, w]}
     * @param output {@code [n, out, oh, ow]}
     * @param kernelShape DL4J's kernel shape: {@code [out, in, kH, kW]}, or {@code [in, out, kH, kW]} when transposed
     * @param padBefore top and left padding
     * @param padAfter bottom and right padding
     * @param activation the layer's activation ({@link OneDnn#computes} must hold); null or identity for none
     */
    OneDnnConvolution(boolean transposed, long[] input, long[] output, long[] kernelShape, int[] stride, int[] padBefore,
            int[] padAfter, IActivation activation) {
        if (!OneDnn.computes(activation)) {
            throw new IllegalArgumentException("oneDNN does not compute " + activation + " here");
        }
        this.inputShape = input.clone();
        this.outputShape = output.clone();
        float[] eltwise = activation == null ? null : OneDnn.eltwise(activation);
        boolean activated = eltwise != null;
        long[] weightDims = weightDims(transposed, kernelShape);
        userWeights = dl4jWeights(transposed, weightDims);
        dnnl_memory_desc_t bias = OneDnnContext.desc(new long[] {weightDims[0]}, dnnl_x);
        // One output channel in oneDNN's blocks of 16 channels is 16 times the work: the seed's output
        // layer took 5.5 ms a step. Channels-last, which for one channel is NCHW too, took 4% off
        // the conv model's step (1,620 against 1,550 samples/s, three runs each). An RGB output
        // (32 to 3 channels, 3x3, 64 images of 28x28) took 4.0 to 5.0 ms forward and backward
        // against 5.1 to 6.6 blocked; 8 channels inside a network ran slower so, between blocked layers.
        int activations = !transposed && output[1] <= FEW_CHANNELS ? dnnl_acdb : dnnl_format_tag_any;
        dnnl_memory_desc_t anyInput = OneDnnContext.desc(input, activations);
        dnnl_memory_desc_t anyOutput = OneDnnContext.desc(output, activations);
        dnnl_memory_desc_t anyWeights = OneDnnContext.desc(weightDims, dnnl_format_tag_any);
        long[] strides = {stride[0], stride[1]};
        long[] before = {padBefore[0], padBefore[1]};
        long[] after = {padAfter[0], padAfter[1]};

        dnnl_convolution_desc_t forwardDesc = forwardOp(dnnl_forward_training, transposed, anyInput, anyWeights, bias,
                anyOutput, stride, padBefore, padAfter);
        boolean postOp = activated && !transposed;
        dnnl_primitive_desc forwardPd = context.describe(new const_dnnl_op_desc_t(forwardDesc),
                postOp ? activation : null);
        dnnl_convolution_desc_t weightsDesc = new dnnl_convolution_desc_t();
        check(transposed
                ? dnnl_deconvolution_backward_weights_desc_init(weightsDesc, dnnl_deconvolution_direct, anyInput,
                        anyWeights, bias, anyOutput, strides, before, after)
                : dnnl_convolution_backward_weights_desc_init(weightsDesc, dnnl_convolution_direct, anyInput,
                        anyWeights, bias, anyOutput, strides, before, after), "weight-gradient descriptor");
        dnnl_primitive_desc weightsPd = context.describe(new const_dnnl_op_desc_t(weightsDesc), null, forwardPd);
        dnnl_convolution_desc_t dataDesc = new dnnl_convolution_desc_t();
        check(transposed
                ? dnnl_deconvolution_backward_data_desc_init(dataDesc, dnnl_deconvolution_direct, anyInput, anyWeights,
                        anyOutput, strides, before, after)
                : dnnl_convolution_backward_data_desc_init(dataDesc, dnnl_convolution_direct, anyInput, anyWeights,
                        anyOutput, strides, before, after), "input-gradient descriptor");
        dnnl_primitive_desc dataPd = context.describe(new const_dnnl_op_desc_t(dataDesc), null, forwardPd);

        dnnl_memory_desc_t forwardSource = query(forwardPd, dnnl_query_src_md);
        sourceLayout = forwardSource;
        dnnl_memory_desc_t forwardWeights = query(forwardPd, dnnl_query_weights_md);
        outputLayout = query(forwardPd, dnnl_query_dst_md);
        forward = context.primitive(forwardPd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                forwardSource, forwardWeights, bias, outputLayout);
        sourceToForward = context.adapter(forwardSource);
        weightsToForward = context.adapter(forwardWeights);
        this.output = OneDnnContext.buffer(outputLayout);
        plainOutput = context.plainCopies(outputLayout, this.output, output);

        activationForward = activated && !postOp ? context.activation(activation, outputLayout) : null;
        gradients = new ConvolutionBackward(context, input, output, outputLayout, activated ? activation : null,
                weightsPd, userWeights, bias, new ConvolutionBackward.InputGradient(dataPd, dnnl_query_diff_dst_md,
                        DNNL_ARG_DIFF_DST, dnnl_query_diff_src_md, DNNL_ARG_DIFF_SRC), userWeights);
    }

    /**
     * The layer's output, activation applied, for {@code input} and DL4J's {@code weights} and
     * {@code bias} views; in the layout of oneDNN's choosing, valid until the next call.
     */
    @Override
    public Tensor forward(Tensor input, INDArray weights, INDArray bias) {
        source = sourceToForward.in(shaped(input, inputShape));
        forward.run(source, weightsToForward.in(weights, userWeights), bias, output);
        if (activationForward != null) {
            activationForward.run(output, output);
        }
        context.await();
        return Tensor.laidOut(output, outputLayout, outputShape, plainOutput);
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean atPreActivation, INDArray weights, INDArray weightGradient,
            INDArray biasGradient, boolean needInputGradient) {
        return gradients.backward(outputGradient, atPreActivation, source, sourceLayout, output, weights, weightGradient,
                biasGradient, needInputGradient);
    }

    /** oneDNN's weight dimensions, {@code {out, in, kH, kW}}, from DL4J's kernel shape. */
    static long[] weightDims(boolean transposed, long[] kernelShape) {
        return transposed
                ? new long[] {kernelShape[1], kernelShape[0], kernelShape[2], kernelShape[3]}
                : kernelShape.clone();
    }

    /**
     * DL4J's kernel view as oneDNN reads it: {@code [out, in, kH, kW]}, or for a transposed
     * convolution {@code [in, out, kH, kW]}, which is oneDNN's {@code iohw}.
     */
    static dnnl_memory_desc_t dl4jWeights(boolean transposed, long[] weightDims) {
        return OneDnnContext.desc(weightDims, transposed ? dnnl_iohw : dnnl_oihw);
    }

    /** The forward operation of a convolution or transposed convolution, for training or inference. */
    static dnnl_convolution_desc_t forwardOp(int propagation, boolean transposed, dnnl_memory_desc_t input,
            dnnl_memory_desc_t weights, dnnl_memory_desc_t bias, dnnl_memory_desc_t output, int[] stride,
            int[] padBefore, int[] padAfter) {
        long[] strides = {stride[0], stride[1]};
        long[] before = {padBefore[0], padBefore[1]};
        long[] after = {padAfter[0], padAfter[1]};
        dnnl_convolution_desc_t op = new dnnl_convolution_desc_t();
        check(transposed
                ? dnnl_deconvolution_forward_desc_init(op, propagation, dnnl_deconvolution_direct, input, weights, bias,
                        output, strides, before, after)
                : dnnl_convolution_forward_desc_init(op, propagation, dnnl_convolution_direct, input, weights, bias,
                        output, strides, before, after), "forward descriptor");
        return op;
    }
}
