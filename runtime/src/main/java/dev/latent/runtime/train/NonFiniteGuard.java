package dev.latent.runtime.train;

import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.NonFinite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks that end a run on NaN or infinite values, each with its one WARN line: a noisy input,
 * a batch's loss, the parameters after an epoch. The run then keeps the last good epoch's
 * parameters, and its last good checkpoint stays as it was.
 */
final class NonFiniteGuard {
    private static final Logger LOG = LoggerFactory.getLogger(DenoisingTrainer.class);
    private final String model;

    NonFiniteGuard(String model) {
        this.model = model;
    }

    /** Whether batch {@code batch} (from 1) of {@code epoch} stops the run for its noisy input; logged if so. */
    boolean inputStops(boolean finiteInput, int epoch, int batch) {
        if (!finiteInput) {
            LOG.warn("{}: the noisy input of epoch {} batch {} holds NaN or infinite values;"
                    + " stopping with the parameters of epoch {}", model, epoch, batch, epoch - 1);
        }
        return !finiteInput;
    }

    /** Whether batch {@code batch}'s loss stops the run; logged if so. */
    boolean lossStops(double loss, int epoch, int batch) {
        if (!Double.isFinite(loss)) {
            LOG.warn("{}: loss {} in epoch {} batch {}; stopping with the parameters of epoch {}", model, loss, epoch,
                    batch, epoch - 1);
            return true;
        }
        return false;
    }

    /**
     * Whether {@code engine}'s parameters after {@code epoch} stop the run; logged if so. A ReLU hides
     * NaN weights from the loss: an epoch that made any ends the run here.
     */
    boolean parametersStop(Engine engine, int epoch) {
        if (NonFinite.in(engine.parameters())) {
            LOG.warn("{}: parameters became NaN or infinite in epoch {}; stopping with the parameters of epoch {}",
                    model, epoch, epoch - 1);
            return true;
        }
        return false;
    }
}
