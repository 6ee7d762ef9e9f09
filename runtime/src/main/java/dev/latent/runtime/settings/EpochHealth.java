package dev.latent.runtime.settings;

import java.util.List;

/**
 * What an epoch's model looks like inside, measured on the validation set after the epoch: the
 * numbers behind DL4J's troubleshooting rules, which the {@link Diagnosis} reads.
 *
 * @param deadCodeShare share of the code's dimensions that hold the same value for every
 *     validation sample (a ReLU code unit that only outputs 0 is the usual case): they carry nothing
 * @param codeVariances the variance of each code dimension over the validation samples, in the
 *     code's flattened order; both measured on the first 512 validation samples
 * @param layers one entry per weighted layer, encoder first
 */
public record EpochHealth(double deadCodeShare, List<Double> codeVariances, List<LayerHealth> layers) {
    /** Below this variance a code dimension counts as dead. */
    public static final double DEAD_VARIANCE = 1e-10;

    /** Copies the lists, so a record cannot change after the epoch. */
    public EpochHealth {
        codeVariances = List.copyOf(codeVariances);
        layers = List.copyOf(layers);
    }

    /**
     * The median over layers of {@code log10} of the update-to-parameter ratio; NaN with no
     * layers. DL4J's rule of thumb: about -3 is healthy, below -4 learns too slowly, above -2 too
     * fast.
     */
    public double medianLogUpdateRatio() {
        return medianLog(layers.stream().mapToDouble(LayerHealth::updateRatio).toArray());
    }

    /** As {@link #medianLogUpdateRatio()}, for the epoch's first step. */
    public double medianLogFirstUpdateRatio() {
        return medianLog(layers.stream().mapToDouble(LayerHealth::firstUpdateRatio).toArray());
    }

    private static double medianLog(double[] ratios) {
        double[] logs = java.util.Arrays.stream(ratios).filter(r -> r > 0 && Double.isFinite(r))
                .map(Math::log10).sorted().toArray();
        if (logs.length == 0) {
            return Double.NaN;
        }
        int mid = logs.length / 2;
        return logs.length % 2 == 1 ? logs[mid] : (logs[mid - 1] + logs[mid]) / 2;
    }

    /**
     * One weighted layer's numbers.
     *
     * @param layer the layer's name, e.g. {@code encoder.code}
     * @param gradientNorm L2 norm of the loss's gradient with respect to the layer's parameters, on
     *     one validation batch, without a step
     * @param updateRatio L2 norm of the epoch's last update of the layer's parameters over the norm of
     *     the parameters before it: where training has settled
     * @param firstUpdateRatio the same for the epoch's first step, where an explosion shows (Adam's
     *     first step is a full learning rate in every weight, so this one runs higher)
     */
    public record LayerHealth(String layer, double gradientNorm, double updateRatio, double firstUpdateRatio) {}
}
