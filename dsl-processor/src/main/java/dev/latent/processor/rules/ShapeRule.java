package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.List;

/** A rule over a model and its shapes, as far as inference got. Pure. */
public interface ShapeRule {

    /** What is wrong with {@code model} by this rule; empty when nothing is. */
    List<Diagnostic> check(ModelSpec model, InferredModel shapes);
}
