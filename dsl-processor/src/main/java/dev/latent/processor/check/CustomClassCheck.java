package dev.latent.processor.check;

import dev.latent.processor.model.CustomClass;
import dev.latent.processor.model.ModelSpec;

/** A custom noise or loss class must implement its interface and be instantiable by generated code. */
public final class CustomClassCheck implements Check {

    @Override
    public void check(ModelSpec model, InferredModel shapes, Report report) {
        check(model, "@Noise", model.noise().custom(), report);
        check(model, "@Loss", model.loss().custom(), report);
    }

    private static void check(ModelSpec model, String annotation, CustomClass custom, Report report) {
        if (custom == null) {
            return;
        }
        String where = model.displayName() + " " + annotation;
        if (!custom.implementsRequired()) {
            report.add(Message.CUSTOM_CLASS, custom.source(), where, "custom", simple(custom),
                    "it does not implement " + custom.requiredInterface(),
                    "make it implement " + custom.requiredInterface() + ".");
        }
        if (!custom.instantiable()) {
            report.add(Message.CUSTOM_CLASS, custom.source(), where, "custom", simple(custom),
                    "generated code cannot create it; it needs to be a public, non-abstract class with a public no-argument constructor",
                    "add 'public " + simple(custom) + "() {}' and make the class public (and static, if nested).");
        }
    }

    private static String simple(CustomClass custom) {
        String name = custom.canonicalName();
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
