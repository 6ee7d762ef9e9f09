package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.ShapeError;

/**
 * {@code latent:sequence-input}: a 1-D layer or an LSTM on a vector or an image. The twin of
 * {@link ImageInput} for the 2-D layers, kept apart because each code has its own rule.
 */
final class SequenceInput extends InferenceRule<ShapeError.NotASequence> {

    SequenceInput() {
        super(ShapeError.NotASequence.class);
    }

    @Override
    Diagnostic describe(ModelSpec model, ShapeError.NotASequence e) {
        String fix = e.input().isImage()
                ? "use the 2-D layers on an image (@Conv2D, @MaxPool2D, @UpSampling2D), or add '@Reshape({T, F})' before it."
                : "add '@Reshape({T, F})' before it.";
        return Diagnostic.of(Message.NEEDS_SEQUENCE, e.layer().source(), model.where(e.layer()), e.layer().kind(),
                e.input().describe(), e.from(), fix);
    }
}
