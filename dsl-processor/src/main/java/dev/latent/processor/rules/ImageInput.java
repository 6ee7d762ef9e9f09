package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import dev.latent.processor.shape.ShapeError;
import java.util.List;

/** {@code latent:image-input}: a 2-D layer on a vector or a sequence. */
final class ImageInput implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        if (!(shapes.failure() instanceof ShapeError.NotAnImage e)) {
            return List.of();
        }
        String fix = e.input().isSequence()
                ? "use the 1-D layers on a sequence (@Conv1D, @MaxPool1D, @UpSampling1D), or add '@Reshape({H, W, C})' before it."
                : "add '@Reshape({H, W, C})' before it.";
        return List.of(Diagnostic.of(Message.NEEDS_IMAGE, e.layer().source(), model.where(e.layer()), e.layer().kind(),
                e.input().describe(), e.from(), fix));
    }
}
