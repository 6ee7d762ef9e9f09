package dev.latent.runtime.engine;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import org.bytedeco.dnnl.dnnl_engine;
import java.util.ArrayList;
import java.util.List;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_elu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_logistic;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_tanh;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@link OneDnnConvolution} and {@link OneDnnMatmul} share: whether
 * oneDNN loads, its calls' checks, and the handles to destroy.
 */
final class OneDnn {
    private OneDnn() {}

    /**
     * Whether oneDNN's presets load on this machine; if not, the direct step uses libnd4j's ops
     * and ND4J's {@code gemm}. {@code -Dlatent.onednn.off=true} says no.
     */
    static boolean available() {
        return Availability.AVAILABLE;
    }

    private static final class Availability {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            if (Boolean.getBoolean("latent.onednn.off")) {
                return false;
            }
            try {
                dnnl_engine engine = new dnnl_engine();
                boolean created = dnnl_engine_create(engine, dnnl_cpu, 0) == dnnl_success;
                if (created) {
                    dnnl_engine_destroy(engine);
                }
                return created;
            } catch (Throwable e) {
                // UnsatisfiedLinkError or NoClassDefFoundError: no natives for this platform.
                return false;
            }
        }
    }

    /**
     * Whether oneDNN computes {@code activation} and its derivative as an activation and its derivative: identity, ReLU without
     * limits, leaky ReLU and ELU with a non-negative alpha, sigmoid and tanh.
     */
    static boolean computes(IActivation activation) {
        return activation == null || activation instanceof ActivationIdentity || eltwise(activation) != null;
    }

    /**
     * oneDNN's element-wise algorithm and alpha for {@code activation}, as DL4J computes it, where
     * its derivative can be read from the output; null otherwise.
     */
    static float[] eltwise(IActivation activation) {
        if (activation instanceof ActivationReLU relu) {
            boolean plain = relu.getMax() == null && (relu.getThreshold() == null || relu.getThreshold() == 0)
                    && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0);
            return plain ? new float[] {dnnl_eltwise_relu, 0f} : null;
        }
        if (activation instanceof ActivationLReLU leaky) {
            return leaky.getAlpha() >= 0 ? new float[] {dnnl_eltwise_relu, (float) leaky.getAlpha()} : null;
        }
        if (activation instanceof ActivationSigmoid) {
            return new float[] {dnnl_eltwise_logistic, 0f};
        }
        if (activation instanceof ActivationTanH) {
            return new float[] {dnnl_eltwise_tanh, 0f};
        }
        if (activation instanceof ActivationELU elu) {
            return elu.getAlpha() >= 0 ? new float[] {dnnl_eltwise_elu, (float) elu.getAlpha()} : null;
        }
        return null;
    }

    /** Throws unless {@code status} is oneDNN's success. */
    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN: creating or running the " + what + " failed with status " + status);
        }
    }

    /** Makes {@code memory} read and write {@code array}'s values, which must be dense floats. */
    static void point(dnnl_memory memory, INDArray array) {
        if (array.dataType() != DataType.FLOAT || array.elementWiseStride() != 1) {
            throw new IllegalArgumentException("oneDNN takes dense float arrays, found " + array.shapeInfoToString());
        }
        check(dnnl_memory_set_data_handle(memory, array.data().addressPointer()), "memory handle");
    }
    /**
     * The oneDNN objects one user made, destroyed once that user is unreachable (JavaCPP does not
     * free them). It holds no reference to its user, so the user can become unreachable.
     */
    static final class Handles implements Runnable {
        final List<dnnl_primitive> primitives = new ArrayList<>();
        final List<dnnl_primitive_desc> descriptors = new ArrayList<>();
        final List<dnnl_memory> memories = new ArrayList<>();
        dnnl_stream stream;
        dnnl_engine engine;

        @Override
        public void run() {
            primitives.forEach(p -> dnnl_primitive_destroy(p));
            descriptors.forEach(d -> dnnl_primitive_desc_destroy(d));
            memories.forEach(m -> dnnl_memory_destroy(m));
            dnnl_stream_destroy(stream);
            dnnl_engine_destroy(engine);
        }
    }
}
