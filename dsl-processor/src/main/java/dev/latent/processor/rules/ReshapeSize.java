package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Counts;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import dev.latent.processor.shape.ShapeError;
import java.util.List;

/** {@code latent:reshape-size}: a {@code @Reshape} to a different number of values than its input holds. */
final class ReshapeSize implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        if (!(shapes.failure() instanceof ShapeError.ReshapeMismatch e)) {
            return List.of();
        }
        long count = e.input().count();
        return List.of(Diagnostic.of(Message.RESHAPE_COUNT, e.layer().source(), model.where(e.layer()), e.layer().target(),
                Counts.describe(e.layer().target().count()), e.input(), e.from(), count, count));
    }
}
