package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import dev.latent.processor.shape.ShapeError;
import java.util.List;

/** {@code latent:window-too-large}: a 2-D kernel, or a VALID pool window, larger than its image. */
final class WindowTooLarge implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        if (!(shapes.failure() instanceof ShapeError.WindowOverImage e)) {
            return List.of();
        }
        int limit = Math.min(e.input().height(), e.input().width());
        return List.of(Diagnostic.of(Message.WINDOW_TOO_LARGE, Windows.attribute(e.layer(), e.window()),
                model.where(e.layer()), e.window(), e.size(), e.input().height(), e.input().width(), e.from(), e.window(),
                limit));
    }
}
