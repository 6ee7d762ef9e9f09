package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import dev.latent.processor.shape.ShapeError;
import java.util.List;

/** {@code latent:dense-input}: a {@code @Dense} layer on an image or a sequence, which needs a {@code @Flatten} first. */
final class DenseInput implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        if (!(shapes.failure() instanceof ShapeError.NotAVector e)) {
            return List.of();
        }
        return List.of(Diagnostic.of(Message.DENSE_NEEDS_VECTOR, e.layer().source(), model.where(e.layer()),
                e.input().describe(), e.from()));
    }
}
