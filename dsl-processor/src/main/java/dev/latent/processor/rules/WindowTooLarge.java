package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.ShapeError;

/** {@code latent:window-too-large}: a 2-D kernel, or a VALID pool window, larger than its image. */
final class WindowTooLarge extends InferenceRule<ShapeError.WindowOverImage> {

    WindowTooLarge() {
        super(ShapeError.WindowOverImage.class);
    }

    @Override
    Diagnostic describe(ModelSpec model, ShapeError.WindowOverImage e) {
        int limit = Math.min(e.input().height(), e.input().width());
        return Diagnostic.of(Message.WINDOW_TOO_LARGE, Windows.attribute(e.layer(), e.window()),
                model.where(e.layer()), e.window(), e.size(), e.input().height(), e.input().width(), e.from(), e.window(),
                limit);
    }
}
