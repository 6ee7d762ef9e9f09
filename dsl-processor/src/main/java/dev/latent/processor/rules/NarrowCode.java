package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.List;

/**
 * {@code latent:narrow-code}: a code too small to reconstruct from
 * (docs/errors-and-warnings.md#narrow-code).
 */
final class NarrowCode implements ShapeRule {
    /**
     * A code of fewer values than this carries too little: {@code calibrate code} collapsed the
     * seed's dense network with codes of 1 to 4 values, and not with 8.
     */
    static final int NARROW_CODE = 8;

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        long code = shapes.code().count();
        long input = shapes.input().count();
        if (code >= NARROW_CODE || input <= code) {
            return List.of();
        }
        Layer last = model.encoder().get(model.encoder().size() - 1);
        return List.of(Diagnostic.of(Message.NARROW_CODE, last.source(), model.where(last), code, input,
                input / Math.max(1, code), NARROW_CODE, NARROW_CODE));
    }
}
