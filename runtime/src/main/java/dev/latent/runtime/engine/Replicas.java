package dev.latent.runtime.engine;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What data-parallel training needs of an engine beyond {@link Engine}: replicas of one model
 * trained on several machines take the same steps by averaging their gradients (a
 * {@link GradientExchange}), and the one that trained hands its parameters, optimizer state and
 * step count back to the engine that holds the run.
 */
public final class Replicas {
    private Replicas() {}

    /**
     * Hands every later training step's gradient of {@code engine} to {@code exchange} before the
     * optimizer applies it (null: none).
     *
     * @throws IllegalArgumentException if the engine trains through DL4J's own {@code fit}, which
     *     has no such seam, or is not planned yet
     */
    public static void exchangeGradients(Engine engine, GradientExchange exchange) {
        GraphEngine graphEngine = graphEngine(engine);
        Executor executor = graphEngine.trainingExecutor();
        if (executor == null) {
            throw new IllegalArgumentException(graphEngine.plan().isEmpty()
                    ? "the engine is not planned yet: it has seen no sample"
                    : "the engine trains through DL4J's own fit, which cannot average gradients between replicas; "
                            + "leave -D" + Engines.PROPERTY + " unset");
        }
        executor.exchange(exchange);
    }

    /** A copy of the optimizer's state (Adam's moments, say), flat; null for an optimizer that keeps none (SGD). */
    public static INDArray updaterState(Engine engine) {
        ComputationGraph graph = graphEngine(engine).graph();
        FastAdamUpdater.writeBack(graph);
        INDArray state = graph.getUpdater(true).getStateViewArray();
        return state == null ? null : state.dup();
    }

    /** The training steps {@code engine} has taken, as DL4J counts iterations (Adam's bias correction reads it). */
    public static int iterations(Engine engine) {
        return graphEngine(engine).graph().getConfiguration().getIterationCount();
    }

    /**
     * Makes {@code engine} continue from a replica's training state: its parameters (as
     * {@link Engine#parameters()} gave them), optimizer state (as {@link #updaterState} gave it)
     * and step count.
     */
    public static void restore(Engine engine, INDArray parameters, INDArray updaterState, int iterations) {
        GraphEngine graphEngine = graphEngine(engine);
        ComputationGraph graph = graphEngine.graph();
        graphEngine.setParameters(parameters);
        FastAdamUpdater.writeBack(graph);
        INDArray state = graph.getUpdater(true).getStateViewArray();
        long expected = state == null ? 0 : state.length();
        long found = updaterState == null ? 0 : updaterState.length();
        if (expected != found) {
            throw new IllegalArgumentException("expected an optimizer state of " + expected + " values, found " + found);
        }
        if (state != null) {
            state.assign(updaterState.reshape(state.shape()));
            // Asking a heap Adam for its arrays makes it read them back before its next step.
            for (UpdaterBlock block : graph.getUpdater(true).getUpdaterBlocks()) {
                block.getGradientUpdater().getState();
            }
        }
        graph.getConfiguration().setIterationCount(iterations);
    }

    private static GraphEngine graphEngine(Engine engine) {
        if (engine instanceof GraphEngine graphEngine) {
            return graphEngine;
        }
        throw new IllegalArgumentException("a " + engine.kind() + " engine has no replicas; Latent's own engine has");
    }
}
