package dev.latent.runtime.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where the executor's training step hands its gradient before the optimizer applies it, so that
 * replicas of one model on several machines can take the same step: each puts its own batch's
 * gradient in, and every one gets back the same average. Set with
 * {@link GraphEngine#gradientExchange(GradientExchange)}; a run on one machine has none.
 */
public interface GradientExchange {

    /**
     * Replaces {@code gradients}, in place, by the gradient every replica applies in this step.
     *
     * @param gradients this replica's gradient of its batch's mean loss, one flat row over every
     *     parameter in the network's order (not clipped yet, without the L2 penalty, which the
     *     optimizer adds)
     * @param samples the samples of this replica's batch, the weight its gradient has in the average
     */
    void exchange(INDArray gradients, long samples);
}
