package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.model.ModelSpec;
import java.util.List;

/** A rule over the model's attribute values, before its shapes are inferred. Pure. */
public interface ModelRule {

    /** What is wrong with {@code model} by this rule; empty when nothing is. */
    List<Diagnostic> check(ModelSpec model);
}
