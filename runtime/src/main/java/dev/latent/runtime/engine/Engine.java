package dev.latent.runtime.engine;

import dev.latent.runtime.settings.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the runtime trains and infers through. Everything above it (the trainer, the trained
 * model) speaks only this interface.
 *
 * <p>Arrays are in the engine's layout: {@code [n, C, H, W]} for images, {@code [n, N]} for
 * vectors (see {@link dev.latent.runtime.settings.Shape#batchShape(long)}). An engine is not
 * thread-safe: one trainer or one caller at a time.
 */
public interface Engine {

    /** The zip entry naming which engine wrote a file, read by {@link #load(Path, Shape)}. */
    String KIND_ENTRY = "latent/engine/kind";

    /** Short name of this engine, stored in saved files: {@code computation-graph}. */
    String kind();

    /**
     * One gradient step on one batch.
     *
     * @param noisyInput the corrupted batch, the network's input
     * @param cleanTarget the clean batch, same shape; the engine flattens it to what its loss needs
     * @return the batch's loss before the step, averaged over elements then samples (Keras' mean)
     */
    double fitBatch(INDArray noisyInput, INDArray cleanTarget);

    /** The reconstruction of {@code input}, in evaluation mode; same shape as {@code input}. */
    INDArray reconstruct(INDArray input);

    /** The latent codes of {@code input}, in evaluation mode: {@code [n, codeSize]} or {@code [n, C, H, W]}. */
    INDArray encode(INDArray input);

    /** The reconstructions decoded from {@code code}, in evaluation mode, in the input's layout. */
    INDArray decode(INDArray code);

    /**
     * Sets the optimizer's step size for the steps that follow; the trainer calls it at the start
     * of every epoch to follow its {@link dev.latent.runtime.settings.LearningRateSchedule}.
     */
    void setLearningRate(double learningRate);

    /**
     * A copy of each weighted layer's parameters, flattened, by layer name ({@code encoder.code}),
     * in the network's order; for update-to-parameter ratios.
     */
    Map<String, INDArray> layerParameters();

    /**
     * As {@link #layerParameters()}, copied into {@code reuse}'s arrays where a layer's has the
     * same shape (a map this method returned before, whose values are no longer needed; empty for
     * none): a trainer takes these copies a few times an epoch, and new arrays each time cost
     * their pages again. This default makes new copies.
     */
    default Map<String, INDArray> layerParameters(Map<String, INDArray> reuse) {
        return layerParameters();
    }

    /**
     * The L2 norm of the loss's gradient with respect to each weighted layer's parameters, by layer
     * name, on one batch, without changing the parameters or the optimizer state.
     */
    Map<String, Double> gradientNorms(INDArray noisyInput, INDArray cleanTarget);

    /**
     * Which path trains this engine's network and which kernels compute each layer; empty until
     * the engine knows its input shape (an engine made for a network knows it at once).
     */
    java.util.Optional<EnginePlan> plan();

    /** Number of values in {@link #parameters()}: weights, biases and normalisation statistics. */
    long parameterCount();

    /** A copy of every parameter, to put back later with {@link #setParameters(INDArray)}. */
    INDArray parameters();

    /** Replaces every parameter with a copy taken by {@link #parameters()}; the optimizer state stays. */
    void setParameters(INDArray parameters);

    /**
     * Writes the engine, with its optimizer state so training can resume, as a new zip file at
     * {@code zip} (which must not be in use), adding {@code extraEntries} (name to UTF-8 text).
     */
    void save(Path zip, Map<String, String> extraEntries) throws IOException;

    /**
     * Reads an engine that {@link #save} wrote, for samples of {@code inputShape}.
     *
     * @throws IOException if the file cannot be read, or holds no engine this runtime knows
     */
    static Engine load(Path zip, Shape inputShape) throws IOException {
        String kind;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry entry = file.getEntry(KIND_ENTRY);
            if (entry == null) {
                throw new IOException("no entry " + KIND_ENTRY + " naming the engine");
            }
            try (InputStream in = file.getInputStream(entry)) {
                kind = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
        }
        if (GraphEngine.KIND.equals(kind)) {
            GraphEngine loaded = GraphEngine.load(zip);
            long[] batch = inputShape.batchShape(1);
            loaded.prepare(java.util.Arrays.copyOfRange(batch, 1, batch.length));
            return loaded;
        }
        throw new IOException("unknown engine '" + kind + "'; this runtime knows '" + GraphEngine.KIND + "'");
    }
}
