package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.ShapeError;

/** {@code latent:dense-input}: a {@code @Dense} layer on an image or a sequence, which needs a {@code @Flatten} first. */
final class DenseInput extends InferenceRule<ShapeError.NotAVector> {

    DenseInput() {
        super(ShapeError.NotAVector.class);
    }

    @Override
    Diagnostic describe(ModelSpec model, ShapeError.NotAVector e) {
        return Diagnostic.of(Message.DENSE_NEEDS_VECTOR, e.layer().source(), model.where(e.layer()),
                e.input().describe(), e.from());
    }
}
