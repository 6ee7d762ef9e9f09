package dev.latent.runtime.engine;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.settings.LossSettings;
import dev.latent.runtime.settings.NativeSettings;
import dev.latent.runtime.settings.TrainingSettings;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;

/**
 * Makes the engine a run trains on: a {@link GraphEngine}, whose {@link EnginePlan} says which
 * path and kernels compute the network ({@link Planner}). {@code -Dlatent.engine=dl4j} trains
 * through DL4J's own {@code fit}, the reference the executor is tested against.
 */
public final class Engines {
    /** The system property that asks for DL4J's own {@code fit}: {@code -Dlatent.engine=dl4j}. */
    public static final String PROPERTY = Planner.ENGINE_PROPERTY;

    private Engines() {}

    /** A freshly initialised engine for {@code network}, planned and with the plan logged. */
    public static Engine create(AutoencoderNetwork network, TrainingSettings training, LossSettings loss) {
        return create(network, training, loss, EngineChoice.AUTO);
    }

    /** As {@link #create(AutoencoderNetwork, TrainingSettings, LossSettings)}, narrowed by {@code choice}. */
    public static Engine create(AutoencoderNetwork network, TrainingSettings training, LossSettings loss,
            EngineChoice choice) {
        return withThreads(GraphEngine.create(network, training, loss, choice));
    }

    /**
     * The plan {@code graph} (initialised) would train with on samples of {@code sampleShape} (the
     * engine's layout), on this machine; nothing is logged or built.
     */
    public static EnginePlan plan(org.deeplearning4j.nn.graph.ComputationGraph graph, long[] sampleShape) {
        return Planner.plan(Lowering.of(graph, sampleShape), Planner.Environment.current());
    }

    /**
     * Sets the calling thread's native threads for {@code engine}'s kind of network, once, before
     * it trains (changing them later makes oneDNN rebuild its kernels): one for a network of dense
     * layers only, whose small products lose more to waking a second thread than they gain, else
     * the limit; see {@link NativeSettings#useThreads}.
     */
    private static GraphEngine withThreads(GraphEngine engine) {
        boolean denseOnly = engine.graph().getConfiguration().getVertices().values().stream()
                .filter(vertex -> vertex instanceof LayerVertex)
                .map(vertex -> ((LayerVertex) vertex).getLayerConf().getLayer())
                .allMatch(layer -> layer instanceof DenseLayer || layer instanceof LossLayer);
        NativeSettings.useThreads(denseOnly ? 1 : NativeSettings.threadLimit());
        return engine;
    }

    /**
     * The engine of a checkpoint, ready to go on training: parameters and optimizer state as
     * saved, planned for the network's input shape.
     *
     * @throws IOException if the file cannot be read or holds no engine
     */
    public static Engine resume(Path zip, AutoencoderNetwork network, TrainingSettings training, LossSettings loss)
            throws IOException {
        GraphEngine loaded = GraphEngine.load(zip);
        long[] batch = network.inputShape().batchShape(1);
        loaded.prepare(java.util.Arrays.copyOfRange(batch, 1, batch.length));
        return withThreads(loaded);
    }
}
