package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.OneDnn.check;
import static dev.latent.runtime.engine.StageSupport.buffer;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ldnc;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC_ITER_C;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC_ITER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_ITER_C;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_ITER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS_ITER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS_ITER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS_LAYER;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_backward;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ldgo;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ldgoi;
import static org.bytedeco.dnnl.global.dnnl.dnnl_lstm_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_lstm_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_strides;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_workspace_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_rnn_flags_undef;
import static org.bytedeco.dnnl.global.dnnl.dnnl_tnc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_unidirectional_left2right;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_rnn_desc_t;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's LSTM with tanh and sigmoid gates on oneDNN's LSTM primitive (vanilla LSTM, forward
 * training and backward), for one batch size and sequence length.
 *
 * <p>oneDNN's gates come in the order input gate, forget gate, cell candidate, output gate; DL4J's
 * in the order cell input, forget gate, output gate, input gate. Each call copies the weights into
 * oneDNN's order and the weight gradients back: DL4J's column-major [in, 4 units] is oneDNN's
 * {@code ldgoi} layout but for that order, so the copies move four blocks each. The sequences
 * [n, F, T] are reordered to and from oneDNN's [T, n, F].
 */
final class OneDnnLstm implements LstmKernel {
    /** For each of oneDNN's gates, the block of DL4J's that holds it. */
    private static final int[] DL4J_BLOCK = {3, 1, 0, 2};

    private final OneDnnContext context = new OneDnnContext();
    private final LstmParams params;
    private final boolean returnSequences;
    private final int n;
    private final int steps;
    private final int inputs;
    private final int units;

    private final OneDnnContext.Primitive forward;
    private final OneDnnContext.Primitive backward;
    private final OneDnnContext.Primitive inputToStepMajor;
    private final OneDnnContext.Primitive outputFromStepMajor;
    private final OneDnnContext.Primitive outputGradientToStepMajor;
    private final OneDnnContext.Primitive inputGradientFromStepMajor;
    private final OneDnnContext.Adapter forwardInputWeights;
    private final OneDnnContext.Adapter forwardRecurrentWeights;
    private final OneDnnContext.Adapter backwardInputWeights;
    private final OneDnnContext.Adapter backwardRecurrentWeights;
    private final OneDnnContext.Primitive inputWeightGradientToPlain;
    private final OneDnnContext.Primitive recurrentWeightGradientToPlain;

    private final INDArray inputWeights;
    private final INDArray recurrentWeights;
    private final INDArray bias;
    private final INDArray stepMajorInput;
    private final INDArray stepMajorOutput;
    private final INDArray workspace;
    private final INDArray output;
    private final INDArray stepMajorOutputGradient;
    private final INDArray stepMajorInputGradient;
    private final INDArray inputGradient;
    private final INDArray inputWeightGradient;
    private final INDArray recurrentWeightGradient;
    private final INDArray inputWeightGradientPlain;
    private final INDArray recurrentWeightGradientPlain;
    private final INDArray biasGradient;
    // The initial hidden and cell states, zeros, given explicitly: without them oneDNN 2.5's backward
    // pass added a product with a state that is not zero to the recurrent weights' gradient.
    private final INDArray zeroState;
    private final INDArray stateGradient;
    private final dnnl_memory_desc_t plainInputWeights;
    private final dnnl_memory_desc_t plainRecurrentWeights;
    // Column-major copies of DL4J's views, whose values are then one block in DL4J's gate order.
    private final INDArray dl4jInputWeights;
    private final INDArray dl4jRecurrentWeights;
    private final INDArray dl4jBias;
    private final float[] inputWeightValues;
    private final float[] recurrentWeightValues;
    private final float[] biasValues;
    private final float[] lastStep;

    OneDnnLstm(LstmParams params, boolean returnSequences, int n, int steps) {
        this.params = params;
        this.returnSequences = returnSequences;
        this.n = n;
        this.steps = steps;
        this.inputs = (int) params.inputs();
        this.units = (int) params.units();
        long[] inputWeightDims = {1, 1, inputs, 4, units};
        long[] recurrentWeightDims = {1, 1, units, 4, units};
        long[] biasDims = {1, 1, 4, units};
        dnnl_memory_desc_t source = OneDnnContext.desc(new long[] {steps, n, inputs}, dnnl_tnc);
        dnnl_memory_desc_t destination = OneDnnContext.desc(new long[] {steps, n, units}, dnnl_tnc);
        dnnl_memory_desc_t plainInputWeights = OneDnnContext.desc(inputWeightDims, dnnl_ldgoi);
        dnnl_memory_desc_t plainRecurrentWeights = OneDnnContext.desc(recurrentWeightDims, dnnl_ldgoi);
        dnnl_memory_desc_t biasLayout = OneDnnContext.desc(biasDims, dnnl_ldgo);
        dnnl_memory_desc_t state = OneDnnContext.desc(new long[] {1, 1, n, units}, dnnl_ldnc);

        dnnl_rnn_desc_t forwardOp = new dnnl_rnn_desc_t();
        check(dnnl_lstm_forward_desc_init(forwardOp, dnnl_forward_training, dnnl_unidirectional_left2right, source, state,
                state, OneDnnContext.desc(inputWeightDims, dnnl_format_tag_any),
                OneDnnContext.desc(recurrentWeightDims, dnnl_format_tag_any), biasLayout, destination, null, null,
                dnnl_rnn_flags_undef), "LSTM descriptor");
        dnnl_primitive_desc forwardPd = context.describe(new const_dnnl_op_desc_t(forwardOp), null, null);
        dnnl_memory_desc_t forwardInputWeightLayout = dnnl_primitive_desc_query_md(forwardPd, dnnl_query_weights_md, 0);
        dnnl_memory_desc_t forwardRecurrentWeightLayout = dnnl_primitive_desc_query_md(forwardPd, dnnl_query_weights_md, 1);
        dnnl_memory_desc_t workspaceLayout = dnnl_primitive_desc_query_md(forwardPd, dnnl_query_workspace_md, 0);
        forward = context.primitive(forwardPd, new int[] {DNNL_ARG_SRC_LAYER, DNNL_ARG_SRC_ITER, DNNL_ARG_SRC_ITER_C,
                DNNL_ARG_WEIGHTS_LAYER, DNNL_ARG_WEIGHTS_ITER, DNNL_ARG_BIAS, DNNL_ARG_DST_LAYER, DNNL_ARG_WORKSPACE},
                source, state, state, forwardInputWeightLayout, forwardRecurrentWeightLayout, biasLayout, destination,
                workspaceLayout);

        // The backward primitive is described and queried as the forward one above, on purpose:
        // oneDNN wants both passes' descriptors spelled out, and each pass may pick its own layouts.
        dnnl_rnn_desc_t backwardOp = new dnnl_rnn_desc_t();
        check(dnnl_lstm_backward_desc_init(backwardOp, dnnl_backward, dnnl_unidirectional_left2right, source, state, state,
                OneDnnContext.desc(inputWeightDims, dnnl_format_tag_any),
                OneDnnContext.desc(recurrentWeightDims, dnnl_format_tag_any), biasLayout, destination, null, null,
                source, state, state, OneDnnContext.desc(inputWeightDims, dnnl_format_tag_any),
                OneDnnContext.desc(recurrentWeightDims, dnnl_format_tag_any), biasLayout, destination, null, null,
                dnnl_rnn_flags_undef), "LSTM backward descriptor");
        dnnl_primitive_desc backwardPd = context.describe(new const_dnnl_op_desc_t(backwardOp), null, forwardPd);
        dnnl_memory_desc_t backwardInputWeightLayout = dnnl_primitive_desc_query_md(backwardPd, dnnl_query_weights_md, 0);
        dnnl_memory_desc_t backwardRecurrentWeightLayout = dnnl_primitive_desc_query_md(backwardPd, dnnl_query_weights_md, 1);
        dnnl_memory_desc_t inputWeightGradientLayout = dnnl_primitive_desc_query_md(backwardPd, dnnl_query_diff_weights_md, 0);
        dnnl_memory_desc_t recurrentWeightGradientLayout =
                dnnl_primitive_desc_query_md(backwardPd, dnnl_query_diff_weights_md, 1);
        backward = context.primitive(backwardPd, new int[] {DNNL_ARG_SRC_LAYER, DNNL_ARG_SRC_ITER, DNNL_ARG_SRC_ITER_C,
                DNNL_ARG_WEIGHTS_LAYER, DNNL_ARG_WEIGHTS_ITER, DNNL_ARG_BIAS, DNNL_ARG_DST_LAYER, DNNL_ARG_DIFF_DST_LAYER,
                DNNL_ARG_WORKSPACE, DNNL_ARG_DIFF_SRC_LAYER, DNNL_ARG_DIFF_SRC_ITER, DNNL_ARG_DIFF_SRC_ITER_C,
                DNNL_ARG_DIFF_WEIGHTS_LAYER, DNNL_ARG_DIFF_WEIGHTS_ITER, DNNL_ARG_DIFF_BIAS},
                source, state, state, backwardInputWeightLayout, backwardRecurrentWeightLayout, biasLayout, destination,
                destination, workspaceLayout, source, state, state, inputWeightGradientLayout,
                recurrentWeightGradientLayout, biasLayout);

        // [n, F, T] row-major read as [T, n, F] by its strides, and the same for the outputs.
        dnnl_memory_desc_t sequenceInput = sampleMajor(inputs);
        dnnl_memory_desc_t sequenceOutput = sampleMajor(units);
        inputToStepMajor = context.reorder(sequenceInput, source);
        outputFromStepMajor = context.reorder(destination, sequenceOutput);
        outputGradientToStepMajor = context.reorder(sequenceOutput, destination);
        inputGradientFromStepMajor = context.reorder(source, sequenceInput);
        forwardInputWeights = context.adapter(forwardInputWeightLayout);
        forwardRecurrentWeights = context.adapter(forwardRecurrentWeightLayout);
        backwardInputWeights = context.adapter(backwardInputWeightLayout);
        backwardRecurrentWeights = context.adapter(backwardRecurrentWeightLayout);
        inputWeightGradientToPlain = context.reorder(inputWeightGradientLayout, plainInputWeights);
        recurrentWeightGradientToPlain = context.reorder(recurrentWeightGradientLayout, plainRecurrentWeights);
        this.plainInputWeights = plainInputWeights;
        this.plainRecurrentWeights = plainRecurrentWeights;

        inputWeights = buffer((long) inputs * 4 * units);
        recurrentWeights = buffer((long) units * 4 * units);
        bias = buffer(4L * units);
        stepMajorInput = buffer((long) steps * n * inputs);
        stepMajorOutput = buffer((long) steps * n * units);
        workspace = OneDnnContext.buffer(workspaceLayout);
        output = returnSequences ? buffer(n, units, steps) : buffer(n, units);
        stepMajorOutputGradient = buffer((long) steps * n * units);
        stepMajorInputGradient = buffer((long) steps * n * inputs);
        inputGradient = buffer(n, inputs, steps);
        inputWeightGradient = OneDnnContext.buffer(inputWeightGradientLayout);
        recurrentWeightGradient = OneDnnContext.buffer(recurrentWeightGradientLayout);
        inputWeightGradientPlain = buffer((long) inputs * 4 * units);
        recurrentWeightGradientPlain = buffer((long) units * 4 * units);
        biasGradient = buffer(4L * units);
        zeroState = buffer((long) n * units);
        stateGradient = buffer((long) n * units);
        inputWeightValues = new float[inputs * 4 * units];
        recurrentWeightValues = new float[units * 4 * units];
        biasValues = new float[4 * units];
        lastStep = new float[n * units];
        dl4jInputWeights = Nd4j.create(DataType.FLOAT, params.inputWeights().shape(), 'f');
        dl4jRecurrentWeights = Nd4j.create(DataType.FLOAT, params.recurrentWeights().shape(), 'f');
        dl4jBias = Nd4j.create(DataType.FLOAT, params.bias().shape(), 'f');
    }

    /** Dims [T, n, width] over values stored [n, width, T] row-major. */
    private dnnl_memory_desc_t sampleMajor(int width) {
        dnnl_memory_desc_t desc = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_strides(desc, 3, new long[] {steps, n, width}, dnnl_f32,
                new long[] {1, (long) width * steps, steps}), "sequence descriptor");
        return desc;
    }

    @Override
    public INDArray forward(INDArray input) {
        toOneDnnOrder(params.inputWeights(), dl4jInputWeights, inputWeightValues, inputWeights, inputs);
        toOneDnnOrder(params.recurrentWeights(), dl4jRecurrentWeights, recurrentWeightValues, recurrentWeights, units);
        toOneDnnOrder(params.bias(), dl4jBias, biasValues, bias, 1);
        inputToStepMajor.run(dense(input), stepMajorInput);
        forward.run(stepMajorInput, zeroState, zeroState, forwardInputWeights.in(inputWeights, plainInputWeights),
                forwardRecurrentWeights.in(recurrentWeights, plainRecurrentWeights), bias, stepMajorOutput, workspace);
        if (returnSequences) {
            outputFromStepMajor.run(stepMajorOutput, output);
            context.await();
        } else {
            context.await();
            // The last step's hidden states: the last n rows of [T, n, units].
            pointer(stepMajorOutput).position((long) (steps - 1) * n * units).get(lastStep, 0, lastStep.length);
            pointer(output).put(lastStep, 0, lastStep.length);
        }
        return output;
    }

    @Override
    public INDArray backward(INDArray outputGradient, boolean needInputGradient) {
        if (returnSequences) {
            outputGradientToStepMajor.run(dense(outputGradient), stepMajorOutputGradient);
        } else {
            // Only the last step's output leaves the layer, so only it has a gradient.
            pointer(dense(outputGradient)).get(lastStep, 0, lastStep.length);
            pointer(stepMajorOutputGradient).position((long) (steps - 1) * n * units).put(lastStep, 0, lastStep.length);
        }
        // oneDNN adds the weight gradients to what its outputs hold.
        inputWeightGradient.assign(0);
        recurrentWeightGradient.assign(0);
        biasGradient.assign(0);
        backward.run(stepMajorInput, zeroState, zeroState, backwardInputWeights.in(inputWeights, plainInputWeights),
                backwardRecurrentWeights.in(recurrentWeights, plainRecurrentWeights), bias, stepMajorOutput,
                stepMajorOutputGradient, workspace, stepMajorInputGradient, stateGradient, stateGradient,
                inputWeightGradient, recurrentWeightGradient, biasGradient);
        inputWeightGradientToPlain.run(inputWeightGradient, inputWeightGradientPlain);
        recurrentWeightGradientToPlain.run(recurrentWeightGradient, recurrentWeightGradientPlain);
        if (needInputGradient) {
            inputGradientFromStepMajor.run(stepMajorInputGradient, inputGradient);
        }
        context.await();
        toDl4jOrder(inputWeightGradientPlain, inputWeightValues, dl4jInputWeights, params.inputWeightGradient(), inputs);
        toDl4jOrder(recurrentWeightGradientPlain, recurrentWeightValues, dl4jRecurrentWeights,
                params.recurrentWeightGradient(), units);
        toDl4jOrder(biasGradient, biasValues, dl4jBias, params.biasGradient(), 1);
        return needInputGradient ? inputGradient : null;
    }

    /**
     * DL4J's {@code view} (column-major [rows, 4 units], or the bias), through its column-major
     * copy {@code copy}, into {@code into} with the four blocks of {@code rows * units} values in
     * oneDNN's gate order.
     */
    private void toOneDnnOrder(INDArray view, INDArray copy, float[] heap, INDArray into, int rows) {
        copy.assign(view);
        pointer(copy).get(heap, 0, heap.length);
        FloatPointer target = pointer(into);
        int block = rows * units;
        for (int gate = 0; gate < 4; gate++) {
            target.position((long) gate * block).put(heap, DL4J_BLOCK[gate] * block, block);
        }
    }

    /** The reverse of {@link #toOneDnnOrder}: oneDNN's blocks back into DL4J's gradient view. */
    private void toDl4jOrder(INDArray oneDnnValues, float[] heap, INDArray copy, INDArray gradientView, int rows) {
        FloatPointer source = pointer(oneDnnValues);
        int block = rows * units;
        for (int gate = 0; gate < 4; gate++) {
            source.position((long) gate * block).get(heap, DL4J_BLOCK[gate] * block, block);
        }
        pointer(copy).put(heap, 0, heap.length);
        gradientView.assign(copy);
    }

    private static FloatPointer pointer(INDArray array) {
        return new FloatPointer(array.data().addressPointer());
    }

    /** {@code array}, or a copy of it, with its values row-major in one block of its own. */
    private static INDArray dense(INDArray array) {
        boolean plain = array.ordering() == 'c' && array.offset() == 0 && array.elementWiseStride() == 1
                && array.data().length() == array.length();
        return plain ? array : array.dup('c');
    }
}
