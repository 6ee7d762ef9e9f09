package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.ShapeError;

/** {@code latent:window-too-long}: a VALID 1-D kernel or pool window longer than its sequence (until 0.1.0 it shared {@code window-too-large}). */
final class WindowTooLong extends InferenceRule<ShapeError.WindowOverSequence> {

    WindowTooLong() {
        super(ShapeError.WindowOverSequence.class);
    }

    @Override
    Diagnostic describe(ModelSpec model, ShapeError.WindowOverSequence e) {
        int steps = e.input().steps();
        return Diagnostic.of(Message.WINDOW_TOO_LONG, Windows.attribute(e.layer(), e.window()),
                model.where(e.layer()), e.window(), e.size(), steps, e.from(), e.window(), steps);
    }
}
