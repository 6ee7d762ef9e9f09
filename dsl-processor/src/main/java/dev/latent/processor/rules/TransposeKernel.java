package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import dev.latent.processor.shape.ShapeError;
import java.util.List;

/** {@code latent:transpose-kernel}: a {@code @Conv2DTranspose} with padding VALID and a kernel below its strides, where DL4J and Keras disagree on the output size. */
final class TransposeKernel implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        if (!(shapes.failure() instanceof ShapeError.KernelBelowStrides e)) {
            return List.of();
        }
        int strides = e.layer().strides();
        return List.of(Diagnostic.of(Message.TRANSPOSE_KERNEL_BELOW_STRIDES, e.layer().source().attribute("kernel"),
                model.where(e.layer()), e.layer().kernel(), strides, strides));
    }
}
