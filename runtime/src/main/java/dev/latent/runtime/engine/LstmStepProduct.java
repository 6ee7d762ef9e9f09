package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.OneDnn.check;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ba;
import static org.bytedeco.dnnl.global.dnnl.dnnl_matmul_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_sum;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_matmul_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One of {@link HeapLstm}'s products, {@code C = A B} or {@code C += A B} of fixed shapes, C
 * row-major: through oneDNN where it loads, else ND4J's {@code gemm}. ND4J's product cost about
 * 100 us a call on the [64, 64] x [64, 256] of a 64-unit LSTM, most of it the call itself, and
 * the heap LSTM makes two a time step; oneDNN's took the forward pass from 6.9 to 4.5 ms.
 */
final class LstmStepProduct {
    private final boolean accumulate;
    private final boolean aColumnMajor;
    private final boolean bColumnMajor;
    private final OneDnnContext context;
    private final OneDnnContext.Primitive primitive;

    /**
     * @param aColumnMajor A is stored column-major (else row-major)
     * @param bColumnMajor B is stored column-major (else row-major)
     * @param accumulate adds the product to what C holds
     */
    LstmStepProduct(long m, long k, long n, boolean aColumnMajor, boolean bColumnMajor, boolean accumulate) {
        this.accumulate = accumulate;
        this.aColumnMajor = aColumnMajor;
        this.bColumnMajor = bColumnMajor;
        if (!OneDnn.available()) {
            context = null;
            primitive = null;
            return;
        }
        context = new OneDnnContext();
        dnnl_memory_desc_t a = OneDnnContext.desc(new long[] {m, k}, aColumnMajor ? dnnl_ba : dnnl_ab);
        dnnl_memory_desc_t b = OneDnnContext.desc(new long[] {k, n}, bColumnMajor ? dnnl_ba : dnnl_ab);
        dnnl_memory_desc_t c = OneDnnContext.desc(new long[] {m, n}, dnnl_ab);
        dnnl_matmul_desc_t op = new dnnl_matmul_desc_t();
        check(dnnl_matmul_desc_init(op, a, b, null, c), "matmul descriptor");
        dnnl_primitive_attr attributes = new dnnl_primitive_attr();
        dnnl_post_ops postOps = new dnnl_post_ops();
        check(dnnl_primitive_attr_create(attributes), "attributes");
        check(dnnl_post_ops_create(postOps), "post-ops");
        try {
            if (accumulate) {
                check(dnnl_post_ops_append_sum(postOps, 1f), "sum post-op");
                check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "post-ops");
            }
            primitive = context.primitive(context.describe(new const_dnnl_op_desc_t(op), attributes, null),
                    new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}, a, b, c);
        } finally {
            dnnl_post_ops_destroy(postOps);
            dnnl_primitive_attr_destroy(attributes);
        }
    }

    /** {@code c = a b} or {@code c += a b}; {@code a} and {@code b} stored as this product was told. */
    void multiply(INDArray a, INDArray b, INDArray c) {
        if (primitive == null) {
            Nd4j.gemm(a, b, c, false, false, 1.0, accumulate ? 1.0 : 0.0);
            return;
        }
        if (!stored(a, aColumnMajor) || !stored(b, bColumnMajor) || !stored(c, false)) {
            throw new IllegalArgumentException("LSTM: a product's arrays are not stored as it was made for");
        }
        primitive.run(a, b, c);
        context.await();
    }

    /** Whether {@code matrix}'s values are one dense block, column-major or row-major as asked. */
    private static boolean stored(INDArray matrix, boolean columnMajor) {
        long rows = matrix.size(0);
        long columns = matrix.size(1);
        return columnMajor
                ? (rows == 1 || matrix.stride(0) == 1) && (columns == 1 || matrix.stride(1) == rows)
                : (columns == 1 || matrix.stride(1) == 1) && (rows == 1 || matrix.stride(0) == columns);
    }
}
