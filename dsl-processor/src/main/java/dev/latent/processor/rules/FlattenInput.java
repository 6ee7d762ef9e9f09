package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.ShapeError;

/** {@code latent:flatten-input}: a {@code @Flatten} on a vector, which is flat already. */
final class FlattenInput extends InferenceRule<ShapeError.AlreadyFlat> {

    FlattenInput() {
        super(ShapeError.AlreadyFlat.class);
    }

    @Override
    Diagnostic describe(ModelSpec model, ShapeError.AlreadyFlat e) {
        return Diagnostic.of(Message.FLATTEN_OF_VECTOR, e.layer().source(), model.where(e.layer()), e.input(),
                e.from());
    }
}
