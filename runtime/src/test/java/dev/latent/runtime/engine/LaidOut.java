package dev.latent.runtime.engine;

import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Test values put into one of oneDNN's layouts, as a stage before would hand them on. */
final class LaidOut {
    private LaidOut() {}

    /** {@code values} reordered into {@code layout}, as a laid-out {@link Tensor}. */
    static Tensor tensor(OneDnnContext context, INDArray values, dnnl_memory_desc_t layout) {
        INDArray storage = OneDnnContext.buffer(layout);
        context.reorder(OneDnnContext.plain(values.shape()), layout).run(values, storage);
        context.await();
        return Tensor.laidOut(storage, layout, values.shape(), context.plainCopies(layout, storage, values.shape()));
    }
}
