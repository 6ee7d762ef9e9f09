package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import dev.latent.processor.shape.ShapeError;
import java.util.List;

/** {@code latent:flatten-input}: a {@code @Flatten} on a vector, which is flat already. */
final class FlattenInput implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        if (!(shapes.failure() instanceof ShapeError.AlreadyFlat e)) {
            return List.of();
        }
        return List.of(Diagnostic.of(Message.FLATTEN_OF_VECTOR, e.layer().source(), model.where(e.layer()), e.input(),
                e.from()));
    }
}
