package dev.latent.runtime.train;

import dev.latent.runtime.data.Dataset;
import dev.latent.runtime.settings.LossSettings;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trivial denoisers a trained model must beat, scored with the run's loss on the
 * validation set, and the loss of a perfect one.
 *
 * @param identityLoss the loss of returning the noisy input unchanged; a model at or above it has
 *     learned nothing about the noise
 * @param meanLoss the loss of returning the training set's mean sample for every input; a model at
 *     or above it carries nothing of the input through its code
 * @param perfectLoss the loss of returning the clean data itself, the least any model can reach: 0
 *     for MSE and MAE; for binary cross-entropy the entropy of the clean values, which is large for
 *     grey pixels. The diagnosis compares losses above this floor, or binary cross-entropy would
 *     make every model look close to its baselines.
 */
public record Baselines(double identityLoss, double meanLoss, double perfectLoss) {

    /** Baselines of a loss whose perfect score is 0 (MSE, MAE). */
    public Baselines(double identityLoss, double meanLoss) {
        this(identityLoss, meanLoss, 0.0);
    }

    /**
     * Measures the baselines.
     *
     * @param validationClean the clean validation samples
     * @param validationNoisy their noisy copy, the one the model is scored on, same shape
     * @param trainMean the training set's mean sample, shape {@code sampleShape.batchShape(1)}
     * @param loss the run's loss
     */
    public static Baselines measure(Dataset validationClean, INDArray validationNoisy, INDArray trainMean,
            LossSettings loss) {
        INDArray clean = validationClean.features();
        double identity = loss.evaluate(validationNoisy, clean);
        double mean = loss.evaluate(trainMean.broadcast(clean.shape()), clean);
        double perfect = loss.evaluate(clean, clean);
        return new Baselines(identity, mean, perfect);
    }

    /** How much of the mean image's loss (above the perfect floor) a model of loss {@code loss} removes: 1 is perfect. */
    public double shareOfMeanRemoved(double loss) {
        double room = meanLoss - perfectLoss;
        return room > 0 ? 1 - (loss - perfectLoss) / room : Double.NaN;
    }

    /** A model's loss above the perfect floor, over the identity baseline's: below 1 is better than the input. */
    public double ratioToIdentity(double loss) {
        double room = identityLoss - perfectLoss;
        return room > 0 ? (loss - perfectLoss) / room : Double.POSITIVE_INFINITY;
    }
}
