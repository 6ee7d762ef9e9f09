package dev.latent.runtime.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ba;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_matmul_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static dev.latent.runtime.engine.OneDnn.check;
import static dev.latent.runtime.engine.OneDnn.point;

import java.lang.ref.Cleaner;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_matmul_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One matrix product {@code C = A B (+ bias)} of fixed shapes, C row-major, computed by oneDNN
 * through JavaCPP's presets on ND4J arrays handed in by address. On the dense layers of the
 * seed's dense model (64 x 784 x 128), oneDNN took 68 to 79 us on one thread where ND4J's
 * {@code gemm} took 120 to 125. A column-major C sent oneDNN 2.5 to its reference code (130 ms),
 * so C is always row-major: a column-major result is computed as its transpose.
 */
final class OneDnnMatmul {
    private static final Cleaner CLEANER = Cleaner.create();

    private final dnnl_stream stream;
    private final dnnl_memory a;
    private final dnnl_memory b;
    private final dnnl_memory bias;
    private final dnnl_memory c;
    private final dnnl_primitive primitive;
    private final dnnl_exec_arg_t arguments;

    /**
     * @param m rows of A and C
     * @param k columns of A, rows of B
     * @param n columns of B and C
     * @param aColumnMajor A is stored column-major (its transpose row-major)
     * @param bColumnMajor B is stored column-major
     * @param withBias adds a bias row of {@code n} values to every row of C
     */
    OneDnnMatmul(long m, long k, long n, boolean aColumnMajor, boolean bColumnMajor, boolean withBias) {
        // Locals, so that the cleaner's action holds no reference to this object.
        dnnl_engine engine = new dnnl_engine();
        dnnl_stream stream = new dnnl_stream();
        dnnl_memory a = new dnnl_memory();
        dnnl_memory b = new dnnl_memory();
        dnnl_memory c = new dnnl_memory();
        dnnl_memory bias = withBias ? new dnnl_memory() : null;
        dnnl_primitive primitive = new dnnl_primitive();
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        dnnl_exec_arg_t arguments = new dnnl_exec_arg_t(withBias ? 4 : 3);
        this.stream = stream;
        this.a = a;
        this.b = b;
        this.c = c;
        this.bias = bias;
        this.primitive = primitive;
        this.arguments = arguments;
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine");
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
        dnnl_memory_desc_t aDesc = desc(m, k, aColumnMajor);
        dnnl_memory_desc_t bDesc = desc(k, n, bColumnMajor);
        dnnl_memory_desc_t cDesc = desc(m, n, false);
        dnnl_memory_desc_t biasDesc = withBias ? desc(1, n, false) : null;
        dnnl_matmul_desc_t op = new dnnl_matmul_desc_t();
        check(dnnl_matmul_desc_init(op, aDesc, bDesc, biasDesc, cDesc), "matmul descriptor");
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(op), null, engine, null), "matmul");
        check(dnnl_primitive_create(primitive, pd), "matmul primitive");
        check(dnnl_memory_create(a, aDesc, engine, null), "memory");
        check(dnnl_memory_create(b, bDesc, engine, null), "memory");
        check(dnnl_memory_create(c, cDesc, engine, null), "memory");
        if (withBias) {
            check(dnnl_memory_create(bias, biasDesc, engine, null), "memory");
        }
        arguments.position(0).arg(DNNL_ARG_SRC).memory(a);
        arguments.position(1).arg(DNNL_ARG_WEIGHTS).memory(b);
        arguments.position(2).arg(DNNL_ARG_DST).memory(c);
        if (withBias) {
            arguments.position(3).arg(DNNL_ARG_BIAS).memory(bias);
        }
        arguments.position(0);
        CLEANER.register(this, () -> {
            dnnl_primitive_destroy(primitive);
            dnnl_primitive_desc_destroy(pd);
            dnnl_memory_destroy(a);
            dnnl_memory_destroy(b);
            dnnl_memory_destroy(c);
            if (bias != null) {
                dnnl_memory_destroy(bias);
            }
            dnnl_stream_destroy(stream);
            dnnl_engine_destroy(engine);
        });
    }

    /** {@code c = a b}, plus {@code bias} on every row when this product has one. */
    void multiply(INDArray aArray, INDArray bArray, INDArray biasArray, INDArray cArray) {
        point(a, aArray);
        point(b, bArray);
        point(c, cArray);
        if (bias != null) {
            point(bias, biasArray);
        }
        check(dnnl_primitive_execute(primitive, stream, bias != null ? 4 : 3, arguments), "matmul");
        dnnl_stream_wait(stream);
    }

    private static dnnl_memory_desc_t desc(long rows, long columns, boolean columnMajor) {
        dnnl_memory_desc_t desc = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(desc, 2, new long[] {rows, columns}, dnnl_f32, columnMajor ? dnnl_ba : dnnl_ab),
                "memory descriptor");
        return desc;
    }
}
