package dev.latent.runtime.engine;

import static dev.latent.runtime.engine.OneDnn.check;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ba;
import static org.bytedeco.dnnl.global.dnnl.dnnl_matmul_desc_init;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_matmul_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One matrix product {@code C = A B (+ bias)} of fixed shapes, C row-major, computed by oneDNN
 * through JavaCPP's presets on ND4J arrays handed in by address. On the dense layers of the
 * seed's dense model (64 x 784 x 128), oneDNN took 68 to 79 us on one thread where ND4J's
 * {@code gemm} took 120 to 125. A column-major C sent oneDNN 2.5 to its reference code (130 ms),
 * so C is always row-major: a column-major result is computed as its transpose. An activation
 * can follow in the same primitive, as a post-op.
 */
final class OneDnnMatmul {
    private final OneDnnContext context = new OneDnnContext();
    private final OneDnnContext.Primitive primitive;
    private final boolean withBias;

    /**
     * @param m rows of A and C
     * @param k columns of A, rows of B
     * @param n columns of B and C
     * @param aColumnMajor A is stored column-major (its transpose row-major)
     * @param bColumnMajor B is stored column-major
     * @param withBias adds a bias row of {@code n} values to every row of C
     */
    OneDnnMatmul(long m, long k, long n, boolean aColumnMajor, boolean bColumnMajor, boolean withBias) {
        this(m, k, n, aColumnMajor, bColumnMajor, withBias, null);
    }

    /** As above, then {@code activation} on C ({@link OneDnn#computes} must hold; null for none). */
    OneDnnMatmul(long m, long k, long n, boolean aColumnMajor, boolean bColumnMajor, boolean withBias,
            IActivation activation) {
        this.withBias = withBias;
        dnnl_memory_desc_t a = desc(m, k, aColumnMajor);
        dnnl_memory_desc_t b = desc(k, n, bColumnMajor);
        dnnl_memory_desc_t c = desc(m, n, false);
        dnnl_memory_desc_t bias = withBias ? desc(1, n, false) : null;
        dnnl_matmul_desc_t op = new dnnl_matmul_desc_t();
        check(dnnl_matmul_desc_init(op, a, b, bias, c), "matmul descriptor");
        dnnl_primitive_desc pd = context.describe(new const_dnnl_op_desc_t(op), activation);
        primitive = withBias
                ? context.primitive(pd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST}, a, b, bias, c)
                : context.primitive(pd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}, a, b, c);
    }

    /** {@code c = a b}, plus {@code bias} on every row when this product has one, then its activation. */
    void multiply(INDArray aArray, INDArray bArray, INDArray biasArray, INDArray cArray) {
        if (withBias) {
            primitive.run(aArray, bArray, biasArray, cArray);
        } else {
            primitive.run(aArray, bArray, cArray);
        }
        context.await();
    }

    private static dnnl_memory_desc_t desc(long rows, long columns, boolean columnMajor) {
        return OneDnnContext.desc(new long[] {rows, columns}, columnMajor ? dnnl_ba : dnnl_ab);
    }
}
