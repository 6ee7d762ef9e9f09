package dev.latent.runtime.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_backward_data;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_iohw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static dev.latent.runtime.engine.OneDnn.check;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import java.lang.ref.Cleaner;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch size's 2-D convolution or transposed convolution, computed by oneDNN itself through
 * JavaCPP's presets ({@code org.bytedeco:dnnl}), NCHW at its boundaries. libnd4j's ops on the
 * same oneDNN took 48 ms a step for the seed's conv model's five such layers; oneDNN driven
 * directly, with primitives made once and the layouts of its choosing inside the layer, 21 ms
 * plus 4 ms of reorders at the boundaries. A {@code SAME} transposed convolution is one with
 * padding on the right and bottom only, which is what DL4J's cropped one computes.
 *
 * <p>Arrays at the boundary are ND4J's (the layer's input, output and gradients, and DL4J's
 * parameter and gradient views), handed to oneDNN by address; the blocked copies live in ND4J
 * arrays too, so ND4J's memory accounting sees them.
 */
final class OneDnnConvolution {
    private static final Cleaner CLEANER = Cleaner.create();

    private final dnnl_engine engine = new dnnl_engine();
    private final dnnl_stream stream = new dnnl_stream();
    /** oneDNN's objects this layer made, destroyed once the layer is unreachable (JavaCPP does not free them). */
    private final OneDnn.Handles handles = new OneDnn.Handles();
    private final Step forward;
    private final Step backwardWeights;
    private final Step backwardData;
    private final Reorder inputToForward;
    private final Reorder weightsToForward;
    private final Reorder outputFromForward;
    private final Reorder outputGradientToWeights;
    private final Reorder inputToWeights;
    private final Reorder weightGradientFromWeights;
    private final Reorder outputGradientToData;
    private final Reorder weightsToData;
    private final Reorder inputGradientFromData;

    /**
     * @param input {@code [n, in, h, w]}
     * @param output {@code [n, out, oh, ow]}
     * @param kernelShape DL4J's kernel shape: {@code [out, in, kH, kW]}, or {@code [in, out, kH, kW]} when transposed
     * @param padBefore top and left padding
     * @param padAfter bottom and right padding
     */
    OneDnnConvolution(boolean transposed, long[] input, long[] output, long[] kernelShape, int[] stride, int[] padBefore,
            int[] padAfter) {
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine");
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
        handles.engine = engine;
        handles.stream = stream;
        CLEANER.register(this, handles);
        long[] weightDims = transposed
                ? new long[] {kernelShape[1], kernelShape[0], kernelShape[2], kernelShape[3]}
                : kernelShape.clone();
        dnnl_memory_desc_t userInput = desc(input, dnnl_nchw);
        dnnl_memory_desc_t userOutput = desc(output, dnnl_nchw);
        // oneDNN's transposed-convolution weights are {out, in, kH, kW}; DL4J stores them in, out first.
        dnnl_memory_desc_t userWeights = desc(weightDims, transposed ? dnnl_iohw : dnnl_oihw);
        dnnl_memory_desc_t bias = desc(new long[] {weightDims[0]}, dnnl_x);
        dnnl_memory_desc_t anyInput = desc(input, dnnl_format_tag_any);
        dnnl_memory_desc_t anyOutput = desc(output, dnnl_format_tag_any);
        dnnl_memory_desc_t anyWeights = desc(weightDims, dnnl_format_tag_any);
        long[] strides = {stride[0], stride[1]};
        long[] before = {padBefore[0], padBefore[1]};
        long[] after = {padAfter[0], padAfter[1]};

        dnnl_convolution_desc_t forwardDesc = new dnnl_convolution_desc_t();
        check(transposed
                ? dnnl_deconvolution_forward_desc_init(forwardDesc, dnnl_forward_training, dnnl_deconvolution_direct,
                        anyInput, anyWeights, bias, anyOutput, strides, before, after)
                : dnnl_convolution_forward_desc_init(forwardDesc, dnnl_forward_training, dnnl_convolution_direct,
                        anyInput, anyWeights, bias, anyOutput, strides, before, after), "forward descriptor");
        dnnl_primitive_desc forwardPd = primitiveDesc(forwardDesc, null);
        dnnl_convolution_desc_t weightsDesc = new dnnl_convolution_desc_t();
        check(transposed
                ? dnnl_deconvolution_backward_weights_desc_init(weightsDesc, dnnl_deconvolution_direct, anyInput,
                        anyWeights, bias, anyOutput, strides, before, after)
                : dnnl_convolution_backward_weights_desc_init(weightsDesc, dnnl_convolution_direct, anyInput,
                        anyWeights, bias, anyOutput, strides, before, after), "weight-gradient descriptor");
        dnnl_primitive_desc weightsPd = primitiveDesc(weightsDesc, forwardPd);
        dnnl_convolution_desc_t dataDesc = new dnnl_convolution_desc_t();
        check(transposed
                ? dnnl_deconvolution_backward_data_desc_init(dataDesc, dnnl_deconvolution_direct, anyInput, anyWeights,
                        anyOutput, strides, before, after)
                : dnnl_convolution_backward_data_desc_init(dataDesc, dnnl_convolution_direct, anyInput, anyWeights,
                        anyOutput, strides, before, after), "input-gradient descriptor");
        dnnl_primitive_desc dataPd = primitiveDesc(dataDesc, forwardPd);

        Inner fwdInput = new Inner(query(forwardPd, dnnl_query_src_md));
        Inner fwdWeights = new Inner(query(forwardPd, dnnl_query_weights_md));
        Inner fwdOutput = new Inner(query(forwardPd, dnnl_query_dst_md));
        Inner biasMemory = new Inner(bias, false);
        forward = new Step(forwardPd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                fwdInput, fwdWeights, biasMemory, fwdOutput);
        inputToForward = new Reorder(userInput, fwdInput);
        weightsToForward = new Reorder(userWeights, fwdWeights);
        outputFromForward = new Reorder(fwdOutput, userOutput);

        Inner bwInput = new Inner(query(weightsPd, dnnl_query_src_md));
        Inner bwOutputGradient = new Inner(query(weightsPd, dnnl_query_diff_dst_md));
        Inner bwWeightGradient = new Inner(query(weightsPd, dnnl_query_diff_weights_md));
        Inner biasGradient = new Inner(bias, false);
        backwardWeights = new Step(weightsPd,
                new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS, DNNL_ARG_DIFF_BIAS},
                bwInput, bwOutputGradient, bwWeightGradient, biasGradient);
        inputToWeights = new Reorder(userInput, bwInput);
        outputGradientToWeights = new Reorder(userOutput, bwOutputGradient);
        weightGradientFromWeights = new Reorder(bwWeightGradient, userWeights);

        Inner bdOutputGradient = new Inner(query(dataPd, dnnl_query_diff_dst_md));
        Inner bdWeights = new Inner(query(dataPd, dnnl_query_weights_md));
        Inner bdInputGradient = new Inner(query(dataPd, dnnl_query_diff_src_md));
        backwardData = new Step(dataPd, new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
                bdOutputGradient, bdWeights, bdInputGradient);
        outputGradientToData = new Reorder(userOutput, bdOutputGradient);
        weightsToData = new Reorder(userWeights, bdWeights);
        inputGradientFromData = new Reorder(bdInputGradient, userInput);
    }

    /** {@code output = conv(input, weights) + bias}, all NCHW (weights and bias DL4J's views). */
    void forward(INDArray input, INDArray weights, INDArray bias, INDArray output) {
        inputToForward.in(input);
        weightsToForward.in(weights);
        forward.memories[2].point(bias);
        outputFromForward.target(output);
        forward.run();
        outputFromForward.out();
        dnnl_stream_wait(stream);
    }

    /**
     * The weight and bias gradients into DL4J's gradient views, and the input gradient into
     * {@code inputGradient} unless it is null, from the gradient at the output (pre-activation).
     */
    void backward(INDArray input, INDArray weights, INDArray outputGradient, INDArray weightGradient,
            INDArray biasGradient, INDArray inputGradient) {
        inputToWeights.in(input);
        outputGradientToWeights.in(outputGradient);
        backwardWeights.memories[3].point(biasGradient);
        weightGradientFromWeights.target(weightGradient);
        backwardWeights.run();
        weightGradientFromWeights.out();
        if (inputGradient != null) {
            outputGradientToData.in(outputGradient);
            weightsToData.in(weights);
            inputGradientFromData.target(inputGradient);
            backwardData.run();
            inputGradientFromData.out();
        }
        dnnl_stream_wait(stream);
    }

    private dnnl_primitive_desc primitiveDesc(dnnl_convolution_desc_t desc, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), null, engine, hint), "primitive descriptor");
        handles.descriptors.add(pd);
        return pd;
    }

    private static dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what) {
        return dnnl_primitive_desc_query_md(pd, what, 0);
    }

    private static dnnl_memory_desc_t desc(long[] dims, int tag) {
        dnnl_memory_desc_t desc = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(desc, dims.length, dims, dnnl_f32, tag), "memory descriptor");
        return desc;
    }

    /** A oneDNN memory: in an ND4J array of its own, or pointing at one handed in each call. */
    private final class Inner {
        final dnnl_memory_desc_t desc;
        final dnnl_memory memory = new dnnl_memory();
        // Holds the blocked copy's native memory for as long as this layer lives.
        private final INDArray owned;

        Inner(dnnl_memory_desc_t desc) {
            this(desc, true);
        }

        Inner(dnnl_memory_desc_t desc, boolean own) {
            this.desc = desc;
            this.owned = own ? Nd4j.create(DataType.FLOAT, Math.max(1, dnnl_memory_desc_get_size(desc) / Float.BYTES)) : null;
            check(dnnl_memory_create(memory, desc, engine, own ? owned.data().addressPointer() : null), "memory");
            handles.memories.add(memory);
        }

        void point(INDArray array) {
            OneDnn.point(memory, array);
        }
    }

    /** One primitive with its arguments. */
    private final class Step {
        final Inner[] memories;
        private final dnnl_primitive primitive = new dnnl_primitive();
        private final dnnl_exec_arg_t arguments;

        Step(dnnl_primitive_desc pd, int[] keys, Inner... memories) {
            this.memories = memories;
            check(dnnl_primitive_create(primitive, pd), "primitive");
            handles.primitives.add(primitive);
            arguments = new dnnl_exec_arg_t(keys.length);
            for (int i = 0; i < keys.length; i++) {
                arguments.position(i).arg(keys[i]).memory(memories[i].memory);
            }
            arguments.position(0);
        }

        void run() {
            check(dnnl_primitive_execute(primitive, stream, memories.length, arguments), "primitive");
        }
    }

    /**
     * Copies between an ND4J array in its plain layout and the layout a primitive chose; when
     * they are the same layout, the primitive reads or writes the array itself.
     */
    private final class Reorder {
        private final Inner user;
        private final Inner inner;
        private final dnnl_primitive primitive;
        private final dnnl_exec_arg_t arguments;

        Reorder(dnnl_memory_desc_t userDesc, Inner inner) {
            this(new Inner(userDesc, false), inner, true);
        }

        Reorder(Inner inner, dnnl_memory_desc_t userDesc) {
            this(new Inner(userDesc, false), inner, false);
        }

        private Reorder(Inner user, Inner inner, boolean toInner) {
            this.user = user;
            this.inner = inner;
            if (dnnl_memory_desc_equal(user.desc, inner.desc) != 0) {
                primitive = null;
                arguments = null;
                return;
            }
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(toInner
                    ? dnnl_reorder_primitive_desc_create(pd, user.desc, engine, inner.desc, engine, null)
                    : dnnl_reorder_primitive_desc_create(pd, inner.desc, engine, user.desc, engine, null), "reorder");
            handles.descriptors.add(pd);
            primitive = new dnnl_primitive();
            check(dnnl_primitive_create(primitive, pd), "reorder primitive");
            handles.primitives.add(primitive);
            arguments = new dnnl_exec_arg_t(2);
            arguments.position(0).arg(DNNL_ARG_FROM).memory(toInner ? user.memory : inner.memory);
            arguments.position(1).arg(DNNL_ARG_TO).memory(toInner ? inner.memory : user.memory);
            arguments.position(0);
        }

        /** Before the primitive: {@code array}'s values into the primitive's input. */
        void in(INDArray array) {
            target(array);
            out();
        }

        /** Before the primitive: where its output goes ({@link #out()} copies it there after). */
        void target(INDArray array) {
            if (primitive == null) {
                // Same layout: the primitive reads or writes the array itself.
                inner.point(array);
            } else {
                user.point(array);
            }
        }

        /** Runs the copy, if the layouts differ. */
        void out() {
            if (primitive != null) {
                check(dnnl_primitive_execute(primitive, stream, 2, arguments), "reorder");
            }
        }
    }
}
