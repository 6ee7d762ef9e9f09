package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Counts;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.ShapeError;

/** {@code latent:reshape-size}: a {@code @Reshape} to a different number of values than its input holds. */
final class ReshapeSize extends InferenceRule<ShapeError.ReshapeMismatch> {

    ReshapeSize() {
        super(ShapeError.ReshapeMismatch.class);
    }

    @Override
    Diagnostic describe(ModelSpec model, ShapeError.ReshapeMismatch e) {
        long count = e.input().count();
        return Diagnostic.of(Message.RESHAPE_COUNT, e.layer().source(), model.where(e.layer()), e.layer().target(),
                Counts.describe(e.layer().target().count()), e.input(), e.from(), count, count);
    }
}
