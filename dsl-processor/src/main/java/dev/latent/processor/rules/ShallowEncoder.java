package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.List;

/**
 * {@code latent:shallow-encoder}: an image model whose encoder has no {@code @Conv2D} or
 * {@code @MaxPool2D}, the seed's example 1. The contract names it; calibration measured a cost in
 * quality, not a failure (docs/errors-and-warnings.md#shallow-encoder).
 */
final class ShallowEncoder implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        boolean image = model.inputShape().length == 3;
        boolean spatial = model.encoder().stream().anyMatch(l -> l instanceof Layer.Conv2D || l instanceof Layer.MaxPool2D);
        if (!image || spatial || model.encoder().isEmpty()) {
            return List.of();
        }
        Layer first = model.encoder().get(0);
        return List.of(Diagnostic.of(Message.SHALLOW_ENCODER, first.source(), model.where(first)));
    }
}
