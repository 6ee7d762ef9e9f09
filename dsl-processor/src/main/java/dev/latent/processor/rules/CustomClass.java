package dev.latent.processor.rules;

import dev.latent.processor.check.Diagnostic;
import dev.latent.processor.check.Message;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.shape.InferredModel;
import java.util.ArrayList;
import java.util.List;

/** {@code latent:custom-class}: a custom noise or loss class must implement its interface and be instantiable by generated code. */
final class CustomClass implements ShapeRule {

    @Override
    public List<Diagnostic> check(ModelSpec model, InferredModel shapes) {
        List<Diagnostic> report = new ArrayList<>();
        check(model, "@Noise", model.noise().custom(), report);
        check(model, "@Loss", model.loss().custom(), report);
        return report;
    }

    private static void check(ModelSpec model, String annotation, dev.latent.processor.model.CustomClass custom, List<Diagnostic> report) {
        if (custom == null) {
            return;
        }
        String where = model.displayName() + " " + annotation;
        if (!custom.implementsRequired()) {
            report.add(Diagnostic.of(Message.CUSTOM_CLASS, custom.source(), where, "custom", simple(custom),
                    "it does not implement " + custom.requiredInterface(),
                    "make it implement " + custom.requiredInterface() + "."));
        }
        if (!custom.instantiable()) {
            report.add(Diagnostic.of(Message.CUSTOM_CLASS, custom.source(), where, "custom", simple(custom),
                    "generated code cannot create it; it needs to be a public, non-abstract class with a public no-argument constructor",
                    "add 'public " + simple(custom) + "() {}' and make the class public (and static, if nested)."));
        }
    }

    private static String simple(dev.latent.processor.model.CustomClass custom) {
        String name = custom.canonicalName();
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
