package dev.latent.processor.rules;

import dev.latent.dsl.Resample;
import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.List;

/**
 * {@code latent:static-noise}: {@code resample = ONCE}, the seed's static corruption, which the
 * network can memorise (docs/errors-and-warnings.md#static-noise).
 */
final class StaticNoise implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        if (model.noise().custom() != null || model.noise().resample() != Resample.ONCE) {
            return List.of();
        }
        return List.of(Diagnostic.of(Message.STATIC_NOISE, model.noise().source().attribute("resample"),
                model.displayName() + " @Noise"));
    }
}
