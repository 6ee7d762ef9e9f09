package dev.latent.runtime.engine;

import dev.latent.runtime.engine.EnginePlan.Kernel;
import dev.latent.runtime.engine.EnginePlan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The one decision of what runs where: a pure function from the lowered network and the
 * machine to an {@link EnginePlan}, as ATen's {@code select_conv_backend} is for convolutions.
 * The stages do what the plan says; nothing else chooses.
 */
final class Planner {
    /** The system property that asks for DL4J's own {@code fit}: {@code -Dlatent.engine=dl4j}. */
    static final String ENGINE_PROPERTY = "latent.engine";

    private Planner() {}

    /** What the plan depends on besides the network. */
    record Environment(boolean oneDnn, boolean dl4jFitAsked) {
        /** This JVM's environment narrowed by {@code choice}. */
        static Environment of(EngineChoice choice) {
            Environment current = current();
            return switch (choice) {
                case AUTO -> current;
                case ND4J_KERNELS -> new Environment(false, current.dl4jFitAsked());
                case DL4J_FIT -> new Environment(current.oneDnn(), true);
            };
        }

        /** This JVM's: whether oneDNN's natives load, and {@code -Dlatent.engine}. */
        static Environment current() {
            String engine = System.getProperty(ENGINE_PROPERTY, "auto").toLowerCase(Locale.ROOT);
            boolean dl4j = switch (engine) {
                case "auto", "direct" -> false;
                case "dl4j", "layers" -> true;
                default -> throw new IllegalArgumentException("-D" + ENGINE_PROPERTY + "=" + engine
                        + " names no engine; use auto or dl4j");
            };
            return new Environment(OneDnn.available(), dl4j);
        }
    }

    static EnginePlan plan(Lowering.Result lowered, Environment environment) {
        if (environment.dl4jFitAsked()) {
            return new EnginePlan(EnginePlan.Path.DL4J_FIT, List.of(),
                    List.of("DL4J's own fit was asked for (-D" + ENGINE_PROPERTY + "=dl4j or EngineChoice.DL4J_FIT)"));
        }
        if (!lowered.lowered()) {
            return new EnginePlan(EnginePlan.Path.DL4J_FIT, List.of(),
                    List.of("DL4J's fit trains this network, 10 to 50 times slower: " + lowered.refusal()));
        }
        for (Op op : lowered.network().ops()) {
            if (!Executor.computes(op)) {
                return new EnginePlan(EnginePlan.Path.DL4J_FIT, List.of(), List.of("DL4J's fit trains this network, "
                        + "10 to 50 times slower: " + op.name() + ": the executor has no stage for " + op.describe()));
            }
        }
        List<Step> steps = new ArrayList<>();
        List<String> downgrades = new ArrayList<>();
        boolean oneDnn = environment.oneDnn();
        if (!oneDnn) {
            downgrades.add("oneDNN's natives are absent or turned off (-Dlatent.onednn.off): every op runs on ND4J's kernels");
        }
        Kernel native_ = oneDnn ? Kernel.ONEDNN : Kernel.ND4J;
        for (Op op : lowered.network().ops()) {
            steps.add(step(op, native_, downgrades));
        }
        boolean fusedLoss = lowered.network().loss() instanceof LossMSE;
        steps.add(new Step("loss", lowered.network().loss().getClass().getSimpleName(), fusedLoss ? Kernel.JAVA : Kernel.ND4J,
                fusedLoss ? "squared error and its gradient in one heap loop" : "the loss function's own ND4J code"));
        return new EnginePlan(EnginePlan.Path.DIRECT, steps, downgrades);
    }

    private static Step step(Op op, Kernel native_, List<String> downgrades) {
        if (op instanceof Op.Dense dense) {
            return new Step(op.name(), op.describe(), native_, activationNote(dense.activation(), native_));
        }
        if (op instanceof Op.Conv conv) {
            return new Step(op.name(), op.describe(), native_, activationNote(conv.activation(), native_));
        }
        if (op instanceof Op.Deconv deconv) {
            return new Step(op.name(), op.describe(), native_, activationNote(deconv.activation(), native_));
        }
        if (op instanceof Op.MaxPool || op instanceof Op.BatchNorm || op instanceof Op.UpSample) {
            return new Step(op.name(), op.describe(), native_, "");
        }
        if (op instanceof Op.Reshape) {
            return new Step(op.name(), op.describe(), Kernel.JAVA, "a view");
        }
        if (op instanceof Op.Dropout) {
            return new Step(op.name(), op.describe(), Kernel.JAVA, "inverted, a seeded mask drawn on the heap");
        }
        if (op instanceof Op.Lstm lstm) {
            if (native_ == Kernel.ONEDNN && !(lstm.activation() instanceof ActivationTanH)) {
                downgrades.add(op.name() + ": oneDNN's LSTM computes tanh only, this one " + lstm.activation()
                        + ": ND4J's products with the gates on the heap run it");
                return new Step(op.name(), op.describe(), Kernel.ND4J, "activation " + lstm.activation());
            }
            return new Step(op.name(), op.describe(), native_, native_ == Kernel.ND4J ? "ND4J's products, gates on the heap" : "");
        }
        throw new IllegalStateException("no kernel for " + op);
    }

    /** Where an activation oneDNN does not compute runs: ND4J's op after oneDNN's linear part. */
    private static String activationNote(IActivation activation, Kernel kernel) {
        return kernel == Kernel.ONEDNN && !OneDnn.computes(activation)
                ? "activation " + activation + " through ND4J after oneDNN's product"
                : "";
    }
}
