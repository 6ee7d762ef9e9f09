package dev.latent.runtime.train;

import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.settings.EpochHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Measures an {@link EpochHealth}: the code on the validation set, the gradient on one validation
 * batch, and the update of the epoch's last step, whose before and after the trainer hands in.
 */
final class HealthProbe {
    /**
     * Validation samples the code statistics are measured on: enough for stable variances, few
     * enough that encoding them stays cheap next to an epoch (bench's inference rate for the conv
     * seed model, about 800 samples/s, makes all 2,000 of the study's some 2.5 s an epoch).
     */
    static final int CODE_SAMPLES = 512;

    private HealthProbe() {}

    /**
     * @param validationNoisy the fixed noisy validation copy
     * @param validationClean its clean samples
     * @param batchSize the run's batch size: the gradient is taken on the first batch of the validation set
     * @param firstBefore each layer's parameters before the epoch's first step
     * @param firstAfter after it
     * @param before each layer's parameters before the epoch's last step
     * @param after each layer's parameters after it
     */
    static EpochHealth measure(Engine engine, INDArray validationNoisy, INDArray validationClean, int batchSize,
            Map<String, INDArray> firstBefore, Map<String, INDArray> firstAfter, Map<String, INDArray> before,
            Map<String, INDArray> after) {
        long shown = Math.min(validationNoisy.size(0), CODE_SAMPLES);
        INDArray code = engine.encode(validationNoisy.get(NDArrayIndex.interval(0, shown)));
        long n = code.size(0);
        INDArray flat = code.reshape('c', n, code.length() / n);
        INDArray variances = flat.var(false, 0);
        List<Double> codeVariances = new ArrayList<>();
        int dead = 0;
        for (long i = 0; i < variances.length(); i++) {
            double v = variances.getDouble(i);
            codeVariances.add(v);
            if (v < EpochHealth.DEAD_VARIANCE) {
                dead++;
            }
        }
        long rows = Math.min(validationNoisy.size(0), batchSize);
        Map<String, Double> gradients = engine.gradientNorms(
                validationNoisy.get(NDArrayIndex.interval(0, rows)), validationClean.get(NDArrayIndex.interval(0, rows)));
        List<EpochHealth.LayerHealth> layers = new ArrayList<>();
        for (Map.Entry<String, INDArray> entry : after.entrySet()) {
            // Two samples of the epoch: the first step shows an explosion, the last where training settled.
            layers.add(new EpochHealth.LayerHealth(entry.getKey(), gradients.getOrDefault(entry.getKey(), Double.NaN),
                    ratio(before.get(entry.getKey()), entry.getValue()),
                    ratio(firstBefore.get(entry.getKey()), firstAfter.get(entry.getKey()))));
        }
        return new EpochHealth(variances.length() == 0 ? 0 : dead / (double) variances.length(), codeVariances, layers);
    }

    private static double ratio(INDArray before, INDArray after) {
        if (before == null || after == null) {
            return Double.NaN;
        }
        double norm = before.norm2Number().doubleValue();
        return norm > 0 ? after.sub(before).norm2Number().doubleValue() / norm : Double.NaN;
    }
}
