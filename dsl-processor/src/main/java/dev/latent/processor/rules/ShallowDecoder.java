package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.List;

/**
 * {@code latent:shallow-decoder}: a decoder of one weighted layer from a small code to an output
 * over 4 times its size. The contract names it; calibration measured a cost in quality, never a
 * failure (docs/errors-and-warnings.md#shallow-decoder).
 */
final class ShallowDecoder implements ShapeRule {
    /**
     * A single-layer decoder from a code of at most this many values: {@code calibrate decoder}
     * measured 4% to 8% more test loss than with a hidden layer at codes of 8 to 32, 1% at 64,
     * and less at 196.
     */
    static final int SHALLOW_DECODER_MAX_CODE = 32;

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        List<Layer> weighted = model.decoder().stream().filter(l -> l instanceof Layer.Activated).toList();
        long code = shapes.code().count();
        long output = shapes.output().count();
        if (weighted.size() != 1 || output <= 4 * code || code > SHALLOW_DECODER_MAX_CODE) {
            return List.of();
        }
        Layer only = weighted.get(0);
        return List.of(Diagnostic.of(Message.SHALLOW_DECODER, only.source(), model.where(only), code, output,
                only.method()));
    }
}
