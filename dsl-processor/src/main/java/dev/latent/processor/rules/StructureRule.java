package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.model.ModelOutline;
import java.util.List;

/** A rule over what the source declares (sections, methods, annotations), before there is a model. Pure. */
public interface StructureRule {

    /** What is wrong with {@code outline} by this rule; empty when nothing is. */
    List<Diagnostic> check(ModelOutline outline);
}
