package dev.latent.runtime.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * Which path trains a network and which kernels compute each of its layers, with the reasons:
 * decided once by {@link Planner} from the lowered network, the settings and the machine, logged
 * once per run, and carried by the training result, its report and the saved model.
 *
 * @param path the engine's direct step, or DL4J's own {@code fit}
 * @param steps one entry per op, in order (empty on DL4J's {@code fit})
 * @param downgrades each place where a slower path was taken than this machine offers, with why
 */
public record EnginePlan(Path path, List<Step> steps, List<String> downgrades) {

    /** What trains the network. */
    public enum Path {
        /** Latent's executor over the lowered network, on the graph's own arrays. */
        DIRECT,
        /** DL4J's {@code ComputationGraph.fit}: the reference, 10 to 50 times slower. */
        DL4J_FIT
    }

    /** What computes one op. */
    public enum Kernel {
        /** oneDNN's primitives, in oneDNN's own layouts. */
        ONEDNN,
        /** libnd4j's ops and ND4J's BLAS. */
        ND4J,
        /** A loop on the Java heap (dropout masks, reshapes as views, the squared-error loss). */
        JAVA
    }

    /** One op's kernel; {@code note} says what is special about it, or is empty. */
    public record Step(String layer, String op, Kernel kernel, String note) {
        @Override
        public String toString() {
            return layer + " (" + op + "): " + kernel.name().toLowerCase(Locale.ROOT) + (note.isEmpty() ? "" : ", " + note);
        }
    }

    public EnginePlan {
        steps = List.copyOf(steps);
        downgrades = List.copyOf(downgrades);
    }

    /** The kernel planned for the op named {@code layer}. */
    public Kernel kernelOf(String layer) {
        return steps.stream().filter(s -> s.layer().equals(layer)).map(Step::kernel).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no op " + layer + " in the plan"));
    }

    /** One line: the path and how many ops each kernel computes. */
    public String summary() {
        if (path == Path.DL4J_FIT) {
            return "DL4J's fit" + (downgrades.isEmpty() ? "" : " (" + downgrades.get(0) + ")");
        }
        long oneDnn = steps.stream().filter(s -> s.kernel() == Kernel.ONEDNN).count();
        long nd4j = steps.stream().filter(s -> s.kernel() == Kernel.ND4J).count();
        long java = steps.size() - oneDnn - nd4j;
        return "direct step, " + steps.size() + " ops: " + oneDnn + " oneDNN, " + nd4j + " ND4J, " + java + " Java";
    }

    /** Every line of the plan, for logs, reports and the saved model. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("engine: " + summary());
        steps.forEach(step -> lines.add("  " + step));
        downgrades.forEach(reason -> lines.add("  slower path: " + reason));
        return lines;
    }

    /** Logs the plan at INFO and each downgrade once at WARN. */
    public void log(Logger logger) {
        if (logger.isInfoEnabled()) {
            logger.info(String.join(System.lineSeparator(), lines()));
        }
        downgrades.forEach(reason -> logger.warn("slower path: {}", reason));
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }
}
