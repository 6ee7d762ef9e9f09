package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.OneDnn.check;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_0;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;
import static org.bytedeco.dnnl.global.dnnl.dnnl_abc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_abcd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_sub;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_elu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_elu_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_logistic;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_logistic_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_tanh;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_tanh_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_eltwise;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

import java.lang.ref.Cleaner;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_binary_desc_t;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A oneDNN engine and stream with the primitives one layer makes on them, every argument a
 * memory pointed at an ND4J array on each call: the layer's own buffers (ND4J arrays, so ND4J's
 * memory accounting sees them), the tensors it is handed, or DL4J's parameter and gradient views.
 * Everything it made is destroyed once it is unreachable (JavaCPP does not free oneDNN's objects).
 */
final class OneDnnContext {
    private static final Cleaner CLEANER = Cleaner.create();

    private final dnnl_engine engine = new dnnl_engine();
    private final dnnl_stream stream = new dnnl_stream();
    private final OneDnn.Handles handles = new OneDnn.Handles();

    OneDnnContext() {
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine");
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
        handles.engine = engine;
        handles.stream = stream;
        CLEANER.register(this, handles);
    }

    /** A primitive descriptor for {@code op}, with {@code attributes} (may be null) and a forward hint (may be null). */
    dnnl_primitive_desc describe(const_dnnl_op_desc_t op, dnnl_primitive_attr attributes, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, op, attributes, engine, hint), "primitive descriptor");
        handles.descriptors.add(pd);
        return pd;
    }

    /**
     * A primitive descriptor for {@code op} with {@code activation} as its post-op (none when null
     * or identity); {@link OneDnn#computes} must hold.
     */
    dnnl_primitive_desc describe(const_dnnl_op_desc_t op, IActivation activation) {
        if (!OneDnn.computes(activation)) {
            throw new IllegalArgumentException("oneDNN has no post-op for " + activation);
        }
        float[] eltwise = activation == null ? null : OneDnn.eltwise(activation);
        if (eltwise == null) {
            return describe(op, null, null);
        }
        dnnl_primitive_attr attributes = new dnnl_primitive_attr();
        dnnl_post_ops postOps = new dnnl_post_ops();
        check(dnnl_primitive_attr_create(attributes), "attributes");
        check(dnnl_post_ops_create(postOps), "post-ops");
        try {
            check(dnnl_post_ops_append_eltwise(postOps, 1f, (int) eltwise[0], eltwise[1], 0f), "post-op");
            check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "post-ops");
            return describe(op, attributes, null);
        } finally {
            dnnl_post_ops_destroy(postOps);
            dnnl_primitive_attr_destroy(attributes);
        }
    }

    /** {@code activation} as a primitive of its own on values in {@code layout} (arguments: source, destination). */
    Primitive activation(IActivation activation, dnnl_memory_desc_t layout) {
        float[] eltwise = OneDnn.eltwise(activation);
        dnnl_eltwise_desc_t op = new dnnl_eltwise_desc_t();
        check(dnnl_eltwise_forward_desc_init(op, dnnl_forward_training, (int) eltwise[0], layout, eltwise[1], 0f),
                "activation descriptor");
        return primitive(describe(new const_dnnl_op_desc_t(op), null, null), new int[] {DNNL_ARG_SRC, DNNL_ARG_DST},
                layout, layout);
    }

    /** {@code a - b}, element-wise, on values in {@code layout} (arguments: a, b, the difference, which may be a). */
    Primitive difference(dnnl_memory_desc_t layout) {
        dnnl_binary_desc_t op = new dnnl_binary_desc_t();
        check(dnnl_binary_desc_init(op, dnnl_binary_sub, layout, layout, layout), "difference descriptor");
        return primitive(describe(new const_dnnl_op_desc_t(op), null, null),
                new int[] {DNNL_ARG_SRC_0, DNNL_ARG_SRC_1, DNNL_ARG_DST}, layout, layout, layout);
    }

    /**
     * The derivative of {@code activation} from its output, which is all a layer keeps: ReLU's,
     * sigmoid's, tanh's and ELU's read as well from it as from the pre-activation. Arguments: the
     * activation's output, the gradient there, the gradient before the activation; all in {@code layout}.
     */
    Primitive activationGradient(IActivation activation, dnnl_memory_desc_t layout) {
        float[] eltwise = OneDnn.eltwise(activation);
        int fromOutput = fromOutput((int) eltwise[0]);
        dnnl_eltwise_desc_t hintOp = new dnnl_eltwise_desc_t();
        check(dnnl_eltwise_forward_desc_init(hintOp, dnnl_forward_training, fromOutput, layout, eltwise[1], 0f),
                "activation descriptor");
        dnnl_primitive_desc hint = describe(new const_dnnl_op_desc_t(hintOp), null, null);
        dnnl_eltwise_desc_t backwardOp = new dnnl_eltwise_desc_t();
        check(dnnl_eltwise_backward_desc_init(backwardOp, fromOutput, layout, layout, eltwise[1], 0f),
                "activation-gradient descriptor");
        return primitive(describe(new const_dnnl_op_desc_t(backwardOp), null, hint),
                new int[] {DNNL_ARG_DST, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC}, layout, layout, layout);
    }

    private static int fromOutput(int algorithm) {
        if (algorithm == dnnl_eltwise_relu) {
            return dnnl_eltwise_relu_use_dst_for_bwd;
        }
        if (algorithm == dnnl_eltwise_logistic) {
            return dnnl_eltwise_logistic_use_dst_for_bwd;
        }
        if (algorithm == dnnl_eltwise_tanh) {
            return dnnl_eltwise_tanh_use_dst_for_bwd;
        }
        if (algorithm == dnnl_eltwise_elu) {
            return dnnl_eltwise_elu_use_dst_for_bwd;
        }
        throw new IllegalArgumentException("no derivative from the output for algorithm " + algorithm);
    }

    /** Waits for the primitives run so far. */
    void await() {
        dnnl_stream_wait(stream);
    }

    /**
     * An ND4J array with room for values in {@code layout}, starting on a 64-byte boundary: ND4J
     * aligns its buffers to 16 bytes only, and oneDNN's AVX-512 kernels write large outputs with
     * aligned non-temporal stores (the resampling of a batch of 64 {16, 28, 28} images crashed the
     * JVM on an unaligned buffer).
     */
    static INDArray buffer(dnnl_memory_desc_t layout) {
        long length = Math.max(1, dnnl_memory_desc_get_size(layout) / Float.BYTES);
        INDArray room = Nd4j.create(DataType.FLOAT, length + ALIGNMENT / Float.BYTES);
        long skip = (ALIGNMENT - room.data().address() % ALIGNMENT) % ALIGNMENT / Float.BYTES;
        return room.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(skip, skip + length));
    }

    /** The alignment, in bytes, of the buffers oneDNN writes: a cache line, an AVX-512 register. */
    private static final long ALIGNMENT = 64;

    static boolean same(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
        return dnnl_memory_desc_equal(a, b) != 0;
    }

    static dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what) {
        return dnnl_primitive_desc_query_md(pd, what, 0);
    }

    static dnnl_memory_desc_t desc(long[] dims, int tag) {
        dnnl_memory_desc_t desc = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(desc, dims.length, dims, dnnl_f32, tag), "memory descriptor");
        return desc;
    }

    /** The plain row-major layout of {@code shape} (NCHW for images). */
    static dnnl_memory_desc_t plain(long[] shape) {
        int tag = switch (shape.length) {
            case 1 -> dnnl_a;
            case 2 -> dnnl_ab;
            case 3 -> dnnl_abc;
            case 4 -> dnnl_abcd;
            default -> throw new UnsupportedOperationException("rank " + shape.length);
        };
        return desc(shape, tag);
    }

    /** The layout of {@code tensor}'s storage: its own, or the plain one of its shape. */
    static dnnl_memory_desc_t layoutOf(Tensor tensor) {
        return tensor.layout() != null ? tensor.layout() : plain(tensor.shape());
    }

    /**
     * {@code tensor} as values of {@code shape}: plain values of another shape with as many
     * values (a flat loss gradient, say) are read row-major.
     */
    static Tensor shaped(Tensor tensor, long[] shape) {
        if (tensor.layout() != null || java.util.Arrays.equals(tensor.shape(), shape)) {
            return tensor;
        }
        return Tensor.plain(tensor.storage().reshape('c', shape));
    }

    /** A memory in {@code layout} without storage of its own: each call points it at an array. */
    private dnnl_memory slot(dnnl_memory_desc_t layout) {
        dnnl_memory memory = new dnnl_memory();
        check(dnnl_memory_create(memory, layout, engine, null), "memory");
        handles.memories.add(memory);
        return memory;
    }

    /** A primitive of {@code pd} whose arguments {@code keys} are in the layouts {@code layouts}. */
    Primitive primitive(dnnl_primitive_desc pd, int[] keys, dnnl_memory_desc_t... layouts) {
        return new Primitive(pd, keys, layouts);
    }

    /** A copy from values in layout {@code from} into layout {@code to}. */
    Primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from, engine, to, engine, null), "reorder");
        handles.descriptors.add(pd);
        return new Primitive(pd, new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, from, to);
    }

    /** One primitive with its argument memories. */
    final class Primitive {
        private final dnnl_primitive primitive = new dnnl_primitive();
        private final dnnl_memory[] memories;
        private final dnnl_exec_arg_t arguments;

        private Primitive(dnnl_primitive_desc pd, int[] keys, dnnl_memory_desc_t... layouts) {
            check(dnnl_primitive_create(primitive, pd), "primitive");
            handles.primitives.add(primitive);
            memories = new dnnl_memory[keys.length];
            arguments = new dnnl_exec_arg_t(keys.length);
            for (int i = 0; i < keys.length; i++) {
                memories[i] = slot(layouts[i]);
                arguments.position(i).arg(keys[i]).memory(memories[i]);
            }
            arguments.position(0);
        }

        /** Runs on {@code arrays}, one for each argument in order (each dense floats). */
        void run(INDArray... arrays) {
            for (int i = 0; i < arrays.length; i++) {
                OneDnn.point(memories[i], arrays[i]);
            }
            check(dnnl_primitive_execute(primitive, stream, memories.length, arguments), "primitive");
        }
    }

    /**
     * Hands a primitive its input in the layout it wants: the tensor's own storage when it is
     * already in that layout, else a copy reordered into a buffer of this adapter's (the reorder
     * made for the first layout seen, and again if another comes).
     */
    final class Adapter {
        private final dnnl_memory_desc_t wanted;
        private INDArray copy;
        private dnnl_memory_desc_t from;
        private Primitive reorder;

        Adapter(dnnl_memory_desc_t wanted) {
            this.wanted = wanted;
        }

        INDArray in(Tensor tensor) {
            return in(tensor.storage(), layoutOf(tensor));
        }

        /** {@code values}, in layout {@code layout}, in the wanted layout. */
        INDArray in(INDArray values, dnnl_memory_desc_t layout) {
            if (same(layout, wanted)) {
                return values;
            }
            if (reorder == null || !same(layout, from)) {
                from = layout;
                reorder = reorder(layout, wanted);
                if (copy == null) {
                    copy = buffer(wanted);
                }
            }
            reorder.run(values, copy);
            return copy;
        }
    }

    Adapter adapter(dnnl_memory_desc_t wanted) {
        return new Adapter(wanted);
    }

    /**
     * Row-major (NCHW) copies of {@code values}, held in {@code layout}, made into a buffer made on
     * first use: the values themselves when the layout is already plain.
     */
    java.util.function.Supplier<INDArray> plainCopies(dnnl_memory_desc_t layout, INDArray values, long[] shape) {
        long[] dims = shape.clone();
        if (same(layout, plain(dims))) {
            return () -> values.reshape('c', dims);
        }
        return new java.util.function.Supplier<>() {
            private Primitive reorder;
            private INDArray copy;

            @Override
            public INDArray get() {
                if (reorder == null) {
                    reorder = reorder(layout, plain(dims));
                    copy = Nd4j.create(DataType.FLOAT, dims, 'c');
                }
                reorder.run(values, copy);
                await();
                return copy;
            }
        };
    }
}
