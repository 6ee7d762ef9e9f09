package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.OneDnnContext.layoutOf;
import static dev.latent.runtime.engine.OneDnnContext.query;
import static dev.latent.runtime.engine.OneDnnContext.same;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;

import java.util.function.Supplier;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The backward pass that a convolution and a transposed convolution share: the activation's
 * derivative read from the layer's output, the weight and bias gradients into DL4J's views, and
 * the input gradient through whichever primitive computes it.
 */
final class ConvolutionBackward {
    /**
     * The primitive that computes the input gradient, and which of its arguments are which: a
     * convolution's backward-data primitive, or for a transposed convolution the forward primitive
     * of the convolution it transposes.
     */
    record InputGradient(dnnl_primitive_desc primitive, int gradientQuery, int gradientArgument, int resultQuery,
            int resultArgument) {}

    private final OneDnnContext context;
    private final long[] outputShape;
    private final dnnl_memory_desc_t outputLayout;
    private final dnnl_memory_desc_t dataUserWeights;
    private final OneDnnContext.Adapter gradientToOutput;
    private final OneDnnContext.Primitive activationBackward;
    private final INDArray preActivationGradient;
    private final OneDnnContext.Adapter sourceToWeights;
    private final OneDnnContext.Adapter gradientToWeights;
    private final OneDnnContext.Primitive backwardWeights;
    private final INDArray weightGradientCopy;
    private final OneDnnContext.Primitive weightGradientToUser;
    private final OneDnnContext.Adapter gradientToData;
    private final OneDnnContext.Adapter weightsToData;
    private final OneDnnContext.Primitive backwardData;
    private final dnnl_memory_desc_t inputGradientLayout;
    private final INDArray inputGradient;
    private final long[] inputShape;
    private final Supplier<INDArray> plainInputGradient;

    /**
     * @param activation the layer's activation, or null when it has none
     * @param weightsPd the weight-gradient primitive, whose weight gradient is reordered into
     *     {@code weightGradientUser} (DL4J's view as oneDNN reads it) when it chooses another layout
     * @param bias the bias gradient's layout
     * @param dataUserWeights DL4J's kernel as the input-gradient primitive reads it
     */
    ConvolutionBackward(OneDnnContext context, long[] inputShape, long[] outputShape, dnnl_memory_desc_t outputLayout,
            IActivation activation, dnnl_primitive_desc weightsPd, dnnl_memory_desc_t weightGradientUser,
            dnnl_memory_desc_t bias, InputGradient data, dnnl_memory_desc_t dataUserWeights) {
        this.context = context;
        this.inputShape = inputShape;
        this.outputShape = outputShape;
        this.outputLayout = outputLayout;
        this.dataUserWeights = dataUserWeights;
        if (activation != null) {
            activationBackward = context.activationGradient(activation, outputLayout);
            preActivationGradient = OneDnnContext.buffer(outputLayout);
        } else {
            activationBackward = null;
            preActivationGradient = null;
        }
        gradientToOutput = context.adapter(outputLayout);

        dnnl_memory_desc_t weightsSource = query(weightsPd, dnnl_query_src_md);
        dnnl_memory_desc_t weightsOutputGradient = query(weightsPd, dnnl_query_diff_dst_md);
        dnnl_memory_desc_t weightGradientLayout = query(weightsPd, dnnl_query_diff_weights_md);
        backwardWeights = context.primitive(weightsPd,
                new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS, DNNL_ARG_DIFF_BIAS},
                weightsSource, weightsOutputGradient, weightGradientLayout, bias);
        sourceToWeights = context.adapter(weightsSource);
        gradientToWeights = context.adapter(weightsOutputGradient);
        if (same(weightGradientLayout, weightGradientUser)) {
            weightGradientCopy = null;
            weightGradientToUser = null;
        } else {
            weightGradientCopy = OneDnnContext.buffer(weightGradientLayout);
            weightGradientToUser = context.reorder(weightGradientLayout, weightGradientUser);
        }

        dnnl_memory_desc_t dataOutputGradient = query(data.primitive(), data.gradientQuery());
        dnnl_memory_desc_t dataWeights = query(data.primitive(), dnnl_query_weights_md);
        inputGradientLayout = query(data.primitive(), data.resultQuery());
        backwardData = context.primitive(data.primitive(),
                new int[] {data.gradientArgument(), DNNL_ARG_WEIGHTS, data.resultArgument()},
                dataOutputGradient, dataWeights, inputGradientLayout);
        gradientToData = context.adapter(dataOutputGradient);
        weightsToData = context.adapter(dataWeights);
        inputGradient = OneDnnContext.buffer(inputGradientLayout);
        plainInputGradient = context.plainCopies(inputGradientLayout, inputGradient, inputShape);
    }

    /**
     * From the gradient at the output (after the activation; before it when
     * {@code atPreActivation}): the weight and bias gradients into DL4J's views, and the input
     * gradient, returned, if {@code needInputGradient} (else null). {@code source} is the forward
     * pass's input in {@code sourceLayout}, {@code output} its output in the output's layout.
     */
    Tensor backward(Tensor outputGradient, boolean atPreActivation, INDArray source, dnnl_memory_desc_t sourceLayout,
            INDArray output, INDArray weights, INDArray weightGradient, INDArray biasGradient,
            boolean needInputGradient) {
        outputGradient = OneDnnContext.shaped(outputGradient, outputShape);
        INDArray gradient;
        dnnl_memory_desc_t gradientLayout;
        if (activationBackward != null && !atPreActivation) {
            activationBackward.run(output, gradientToOutput.in(outputGradient), preActivationGradient);
            gradient = preActivationGradient;
            gradientLayout = outputLayout;
        } else {
            gradient = outputGradient.storage();
            gradientLayout = layoutOf(outputGradient);
        }
        INDArray weightsTarget = weightGradientCopy != null ? weightGradientCopy : weightGradient;
        backwardWeights.run(sourceToWeights.in(source, sourceLayout), gradientToWeights.in(gradient, gradientLayout),
                weightsTarget, biasGradient);
        if (weightGradientToUser != null) {
            weightGradientToUser.run(weightGradientCopy, weightGradient);
        }
        Tensor result = null;
        if (needInputGradient) {
            backwardData.run(gradientToData.in(gradient, gradientLayout), weightsToData.in(weights, dataUserWeights),
                    inputGradient);
            result = Tensor.laidOut(inputGradient, inputGradientLayout, inputShape, plainInputGradient);
        }
        context.await();
        return result;
    }
}
