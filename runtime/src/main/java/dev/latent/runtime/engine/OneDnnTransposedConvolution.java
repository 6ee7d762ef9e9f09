package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.OneDnn.check;
import static dev.latent.runtime.engine.OneDnnContext.query;
import static dev.latent.runtime.engine.OneDnnContext.shaped;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_0;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_abcd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_aBcd16b;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_add;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_binary_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch size's 2-D transposed convolution, computed as the convolution it transposes run
 * backward: its forward pass is that convolution's input gradient, and its input gradient that
 * convolution's forward pass. oneDNN 2.5's deconvolution primitive took 3 to 4 times as long for
 * the same forward pass (the seed's second transposed convolution: 11.9 ms against 3.1). DL4J's
 * {@code [in, out, kH, kW]} kernel is that convolution's {@code oihw} kernel as it stands. The
 * bias is added, the activation as its post-op, by a binary primitive. The weight and bias
 * gradients are the deconvolution primitive's, which sums the bias gradient inside its kernel;
 * oneDNN 2.5's own reduction of blocked values is its reference code (30 ms).
 */
final class OneDnnTransposedConvolution implements ConvolutionKernel {
    private final OneDnnContext context = new OneDnnContext();
    private final long[] inputShape;
    private final long[] outputShape;
    private final dnnl_memory_desc_t userWeights;
    private final dnnl_memory_desc_t sourceLayout;
    private final OneDnnContext.Adapter sourceToForward;
    private final OneDnnContext.Adapter weightsToForward;
    private final OneDnnContext.Primitive forward;
    private final OneDnnContext.Primitive biasAndActivation;
    private final dnnl_memory_desc_t outputLayout;
    private final INDArray output;
    private final dnnl_memory_desc_t biasShape;
    private final dnnl_memory_desc_t biasLayout;
    private final OneDnnContext.Adapter biasToForward;
    private final java.util.function.Supplier<INDArray> plainOutput;
    private final ConvolutionBackward gradients;
    private INDArray source;

    /**
     * @param input {@code [n, in, h, w]}
     * @param output {@code [n, out, oh, ow]}
     * @param kernelShape DL4J's kernel shape, {@code [in, out, kH, kW]}
     * @param padBefore top and left crop (the transposed convolution's padding)
     * @param padAfter bottom and right crop
     * @param activation the layer's activation ({@link OneDnn#computes} must hold); null or identity for none
     */
    OneDnnTransposedConvolution(long[] input, long[] output, long[] kernelShape, int[] stride, int[] padBefore,
            int[] padAfter, IActivation activation) {
        if (!OneDnn.computes(activation)) {
            throw new IllegalArgumentException("oneDNN does not compute " + activation + " here");
        }
        this.inputShape = input.clone();
        this.outputShape = output.clone();
        boolean activated = activation != null && OneDnn.eltwise(activation) != null;
        long outChannels = kernelShape[1];
        userWeights = OneDnnContext.desc(kernelShape, dnnl_oihw);
        dnnl_memory_desc_t biasShape = OneDnnContext.desc(new long[] {1, outChannels, 1, 1}, dnnl_abcd);
        // The transposed convolution's output is the source of the convolution it transposes.
        dnnl_memory_desc_t anyOutput = OneDnnContext.desc(output, dnnl_format_tag_any);
        dnnl_memory_desc_t anyInput = OneDnnContext.desc(input, dnnl_format_tag_any);
        dnnl_memory_desc_t anyWeights = OneDnnContext.desc(kernelShape, dnnl_format_tag_any);
        long[] strides = {stride[0], stride[1]};
        long[] before = {padBefore[0], padBefore[1]};
        long[] after = {padAfter[0], padAfter[1]};

        dnnl_convolution_desc_t convolutionDesc = new dnnl_convolution_desc_t();
        check(dnnl_convolution_forward_desc_init(convolutionDesc, dnnl_forward_training, dnnl_convolution_direct,
                anyOutput, anyWeights, null, anyInput, strides, before, after), "forward descriptor");
        dnnl_primitive_desc convolutionPd = context.describe(new const_dnnl_op_desc_t(convolutionDesc), null, null);
        dnnl_convolution_desc_t forwardDesc = new dnnl_convolution_desc_t();
        check(dnnl_convolution_backward_data_desc_init(forwardDesc, dnnl_convolution_direct, anyOutput, anyWeights,
                anyInput, strides, before, after), "forward descriptor");
        dnnl_primitive_desc forwardPd = context.describe(new const_dnnl_op_desc_t(forwardDesc), null, convolutionPd);
        long[] deconvolutionWeights = OneDnnConvolution.weightDims(true, kernelShape);
        dnnl_memory_desc_t deconvolutionUserWeights = OneDnnConvolution.dl4jWeights(true, deconvolutionWeights);
        dnnl_memory_desc_t anyDeconvolutionWeights = OneDnnContext.desc(deconvolutionWeights, dnnl_format_tag_any);
        dnnl_memory_desc_t bias = OneDnnContext.desc(new long[] {outChannels}, dnnl_x);
        dnnl_convolution_desc_t hintDesc = OneDnnConvolution.forwardOp(dnnl_forward_training, true, anyInput,
                anyDeconvolutionWeights, bias, anyOutput, stride, padBefore, padAfter);
        dnnl_primitive_desc hintPd = context.describe(new const_dnnl_op_desc_t(hintDesc), null, null);
        dnnl_convolution_desc_t weightsDesc = new dnnl_convolution_desc_t();
        check(dnnl_deconvolution_backward_weights_desc_init(weightsDesc, dnnl_deconvolution_direct, anyInput,
                anyDeconvolutionWeights, bias, anyOutput, strides, before, after), "weight-gradient descriptor");
        dnnl_primitive_desc weightsPd = context.describe(new const_dnnl_op_desc_t(weightsDesc), null, hintPd);

        sourceLayout = query(forwardPd, dnnl_query_diff_dst_md);
        dnnl_memory_desc_t forwardWeights = query(forwardPd, dnnl_query_weights_md);
        outputLayout = query(forwardPd, dnnl_query_diff_src_md);
        forward = context.primitive(forwardPd, new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
                sourceLayout, forwardWeights, outputLayout);
        sourceToForward = context.adapter(sourceLayout);
        weightsToForward = context.adapter(forwardWeights);
        this.output = OneDnnContext.buffer(outputLayout);
        plainOutput = context.plainCopies(outputLayout, this.output, output);

        // The bias in blocks of 16 channels, as the output is: with a plain one oneDNN 2.5 took its
        // reference code (74 ms for the seed's second transposed convolution). For a multiple of 16
        // channels those are the plain bias's bytes; a padded block gave wrong sums, so other
        // channel counts keep the plain one.
        dnnl_memory_desc_t blockedBias = outChannels % 16 == 0
                ? OneDnnContext.desc(new long[] {1, outChannels, 1, 1}, dnnl_aBcd16b) : biasShape;
        dnnl_binary_desc_t biasDesc = new dnnl_binary_desc_t();
        check(dnnl_binary_desc_init(biasDesc, dnnl_binary_add, outputLayout, blockedBias, outputLayout), "bias descriptor");
        dnnl_primitive_desc biasPd = context.describe(new const_dnnl_op_desc_t(biasDesc), activation);
        biasLayout = dnnl_primitive_desc_query_md(biasPd, dnnl_query_src_md, 1);
        biasAndActivation = context.primitive(biasPd, new int[] {DNNL_ARG_SRC_0, DNNL_ARG_SRC_1, DNNL_ARG_DST},
                outputLayout, biasLayout, outputLayout);
        biasToForward = context.adapter(biasLayout);
        this.biasShape = biasShape;
        // The weight gradient is the deconvolution primitive's; the input gradient, the transposed
        // convolution's, is the forward pass of the convolution it transposes.
        gradients = new ConvolutionBackward(context, input, output, outputLayout, activated ? activation : null,
                weightsPd, deconvolutionUserWeights, bias, new ConvolutionBackward.InputGradient(convolutionPd,
                        dnnl_query_src_md, DNNL_ARG_SRC, dnnl_query_dst_md, DNNL_ARG_DST), userWeights);
    }

    // forward and backward mirror OneDnnConvolution's on purpose: the same ConvolutionKernel steps
    // over other primitives (here the bias and activation run as one binary op after the product).
    @Override
    public Tensor forward(Tensor input, INDArray weights, INDArray bias) {
        source = sourceToForward.in(shaped(input, inputShape));
        forward.run(source, weightsToForward.in(weights, userWeights), output);
        biasAndActivation.run(output, biasToForward.in(bias, biasShape), output);
        context.await();
        return Tensor.laidOut(output, outputLayout, outputShape, plainOutput);
    }

    @Override
    public Tensor backward(Tensor outputGradient, boolean atPreActivation, INDArray weights, INDArray weightGradient,
            INDArray biasGradient, boolean needInputGradient) {
        return gradients.backward(outputGradient, atPreActivation, source, sourceLayout, output, weights, weightGradient,
                biasGradient, needInputGradient);
    }
}
