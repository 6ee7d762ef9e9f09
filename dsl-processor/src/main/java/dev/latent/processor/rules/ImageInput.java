package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.ShapeError;

/**
 * {@code latent:image-input}: a 2-D layer on a vector or a sequence. The twin of
 * {@link SequenceInput} for the 1-D layers, kept apart because each code has its own rule.
 */
final class ImageInput extends InferenceRule<ShapeError.NotAnImage> {

    ImageInput() {
        super(ShapeError.NotAnImage.class);
    }

    @Override
    Diagnostic describe(ModelSpec model, ShapeError.NotAnImage e) {
        String fix = e.input().isSequence()
                ? "use the 1-D layers on a sequence (@Conv1D, @MaxPool1D, @UpSampling1D), or add '@Reshape({H, W, C})' before it."
                : "add '@Reshape({H, W, C})' before it.";
        return Diagnostic.of(Message.NEEDS_IMAGE, e.layer().source(), model.where(e.layer()), e.layer().kind(),
                e.input().describe(), e.from(), fix);
    }
}
