package dev.latent.processor.generate;

import com.palantir.javapoet.ClassName;
import dev.latent.processor.model.ModelSpec;

/** The names of the classes generated for a model. */
public final class Names {
    private Names() {}

    /** {@code p.ConvDenoiserNetwork}; {@code p.Outer_ConvDenoiserNetwork} for a nested model. */
    public static ClassName network(ModelSpec model) {
        return ClassName.get(model.packageName(), model.generatedPrefix() + "Network");
    }

    /** {@code p.ConvDenoiserTrainer}. */
    public static ClassName trainer(ModelSpec model) {
        return ClassName.get(model.packageName(), model.generatedPrefix() + "Trainer");
    }

    /** The model interface itself, for Javadoc links. */
    public static ClassName model(ModelSpec model) {
        String pkg = model.packageName();
        String[] simple = model.displayName().split("\\.");
        return ClassName.get(pkg, simple[0], java.util.Arrays.copyOfRange(simple, 1, simple.length));
    }
}
