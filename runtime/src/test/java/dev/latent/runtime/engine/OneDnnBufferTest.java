package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.dnnl.global.dnnl;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The buffers oneDNN writes start on a 64-byte boundary: its AVX-512 kernels store large outputs
 * with aligned non-temporal stores, which crashed the JVM on ND4J's 16-byte-aligned buffers (the
 * engine matrix's conv chain, upsampling a batch of 64 {16, 28, 28} images).
 */
class OneDnnBufferTest {

    @Test
    void buffersStartOnACacheLineAndHoldTheirLayout() {
        assumeTrue(OneDnn.available(), "oneDNN's natives ship for Linux x86-64 only");
        for (long[] dims : new long[][] {{64, 16, 28, 28}, {1, 1, 3, 3}, {48, 8, 14, 14}, {7, 5, 11, 13}}) {
            var layout = OneDnnContext.desc(dims, dnnl.dnnl_nchw);
            INDArray buffer = OneDnnContext.buffer(layout);
            assertEquals(0, buffer.data().addressPointer().address() % 64, java.util.Arrays.toString(dims));
            assertTrue(buffer.length() * Float.BYTES >= dnnl.dnnl_memory_desc_get_size(layout));
            assertEquals(1, buffer.elementWiseStride());
        }
    }
}
