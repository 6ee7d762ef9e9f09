package dev.latent.runtime.train;

import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.settings.EpochStats;
import dev.latent.runtime.settings.TrainingSettings;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The best validation loss so far and the patience left, as Keras' {@code EarlyStopping} with
 * {@code restore_best_weights}: a run stops after {@code earlyStoppingPatience} epochs without an
 * improvement by {@link TrainingSettings#MIN_RELATIVE_IMPROVEMENT}, and ends with the best epoch's
 * parameters. Without patience it only tracks the best epoch, for {@code best.zip}.
 */
final class EarlyStopping {
    private static final Logger LOG = LoggerFactory.getLogger(DenoisingTrainer.class);
    private final String model;
    private final int patience;
    private final int epochs;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int sinceBest;
    private INDArray bestParameters;
    private boolean stopped;

    EarlyStopping(String model, TrainingSettings settings) {
        this.model = model;
        this.patience = settings.earlyStoppingPatience();
        this.epochs = settings.epochs();
    }

    /** Takes up where {@code resumed} left off; {@code engine} holds the parameters of its last epoch. */
    void resume(Checkpoint resumed, Engine engine) {
        best = resumed.best();
        bestEpoch = resumed.bestEpoch();
        sinceBest = resumed.sinceBest();
        stopped = resumed.stoppedEarly();
        bestParameters = resumed.bestParameters() != null ? resumed.bestParameters()
                : patience > 0 && bestEpoch == resumed.epochsDone() ? engine.parameters() : null;
    }

    /**
     * Records {@code epoch}'s validation loss, with {@code engine} holding its parameters.
     *
     * @return whether the epoch improved on the best
     */
    boolean record(int epoch, double validationLoss, Engine engine) {
        boolean improved = validationLoss < best * (1 - TrainingSettings.MIN_RELATIVE_IMPROVEMENT);
        if (improved) {
            best = validationLoss;
            bestEpoch = epoch;
            sinceBest = 0;
            bestParameters = patience > 0 ? engine.parameters() : null;
        } else {
            sinceBest++;
        }
        if (patience > 0 && sinceBest >= patience && epoch < epochs) {
            LOG.info("{}: no improvement for {} epochs; stopping after epoch {}, best epoch {}", model, sinceBest, epoch,
                    bestEpoch);
            stopped = true;
        }
        return improved;
    }

    /** Puts the best epoch's parameters back into {@code engine}, if it holds another epoch's. */
    void restoreBest(Engine engine, List<EpochStats> history) {
        if (bestParameters != null && bestEpoch != lastGoodEpoch(history)) {
            engine.setParameters(bestParameters);
        }
    }

    // The epoch whose parameters the engine holds now: the last with a finite validation loss.
    private static int lastGoodEpoch(List<EpochStats> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (Double.isFinite(history.get(i).validationLoss())) {
                return history.get(i).epoch();
            }
        }
        return 0;
    }

    boolean stopped() {
        return stopped;
    }

    double best() {
        return best;
    }

    int bestEpoch() {
        return bestEpoch;
    }

    int sinceBest() {
        return sinceBest;
    }

    /** The best epoch's parameters, when patience asks to restore them; null otherwise. */
    INDArray bestParameters() {
        return bestParameters;
    }
}
