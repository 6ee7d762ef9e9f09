package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.ShapeError;

/** {@code latent:transpose-kernel}: a {@code @Conv2DTranspose} with padding VALID and a kernel below its strides, where DL4J and Keras disagree on the output size. */
final class TransposeKernel extends InferenceRule<ShapeError.KernelBelowStrides> {

    TransposeKernel() {
        super(ShapeError.KernelBelowStrides.class);
    }

    @Override
    Diagnostic describe(ModelSpec model, ShapeError.KernelBelowStrides e) {
        int strides = e.layer().strides();
        return Diagnostic.of(Message.TRANSPOSE_KERNEL_BELOW_STRIDES, e.layer().source().attribute("kernel"),
                model.where(e.layer()), e.layer().kernel(), strides, strides);
    }
}
