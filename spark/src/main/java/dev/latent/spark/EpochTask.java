package dev.latent.spark;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.engine.Replicas;
import dev.latent.runtime.settings.Shape;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One epoch on one executor: a replica of the driver's engine, read from the broadcast model
 * file, trains on its shard's slices of the epoch's global batches, in step with the other tasks
 * of the barrier stage, and reports its losses; task 0 also returns the training state the epoch
 * ends with, which every replica shares.
 */
final class EpochTask implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * What every task of one epoch is told.
     *
     * @param steps the epoch's global steps (after any batch limit)
     */
    record Plan(int[] inputShape, DataRange range, NoiseSpec noise, long seed, int epoch, int steps,
            double learningRate, Averaging averaging, boolean promptExchange) implements Serializable {}

    /** What one task did; the training state only from task 0. */
    record Result(int partition, double lossSum, long samples, int steps, boolean nonFinite, long exchanges,
            long exchangeNanos, long trainNanos, float[] parameters, float[] updaterState, int iterations)
            implements Serializable {}

    private final Broadcast<byte[]> model;
    private final Plan plan;

    EpochTask(Broadcast<byte[]> model, Plan plan) {
        this.model = model;
        this.plan = plan;
    }

    Iterator<Result> run(Iterator<Shard> shards) {
        BarrierTaskContext context = BarrierTaskContext.get();
        if (!shards.hasNext()) {
            throw new IllegalStateException("partition " + context.partitionId() + " holds no shard");
        }
        Shard shard = shards.next();
        long start = System.nanoTime();
        Shape shape = Shape.of(plan.inputShape());
        Engine engine = EngineBytes.engine(model.value(), shape);
        engine.setLearningRate(plan.learningRate());
        ShardBatches batches = ShardBatches.of(shard, shape, plan.range(), plan.noise(), plan.seed(), plan.epoch(),
                plan.steps());
        AllGatherExchange exchange = new AllGatherExchange(context, plan.promptExchange());
        double lossSum = 0;
        long samples = 0;
        long sinceAverage = 0;
        int step = 0;
        boolean nonFinite = false;
        try {
            if (plan.averaging().everyStep()) {
                Replicas.exchangeGradients(engine, exchange);
            }
            while (step < plan.steps() && !nonFinite) {
                int size = batches.size(step);
                double loss = engine.fitBatch(batches.noisy(step), batches.clean(step));
                step++;
                TaskFaults.maybeFail(shard.partition(), plan.epoch());
                lossSum += loss * size;
                samples += size;
                sinceAverage += size;
                if (!plan.averaging().everyStep() && (step % plan.averaging().everySteps() == 0 || step == plan.steps())) {
                    averageParameters(engine, exchange, sinceAverage);
                    sinceAverage = 0;
                }
                // The same in every replica: the averaged gradient or parameters were not finite.
                nonFinite = exchange.nonFinite();
                // A task of a failed stage is told to stop here, not after its epoch.
                context.killTaskIfInterrupted();
            }
        } finally {
            batches.close();
            exchange.close();
        }
        long trainNanos = System.nanoTime() - start;
        boolean first = context.partitionId() == 0;
        INDArray state = first ? Replicas.updaterState(engine) : null;
        return List.of(new Result(context.partitionId(), lossSum, samples, step, nonFinite || !Double.isFinite(lossSum),
                exchange.exchanges(), exchange.nanos(), trainNanos,
                first ? engine.parameters().data().asFloat() : null,
                state == null ? null : state.data().asFloat(),
                first ? Replicas.iterations(engine) : 0)).iterator();
    }

    private static void averageParameters(Engine engine, AllGatherExchange exchange, long samples) {
        INDArray parameters = engine.parameters();
        exchange.exchange(parameters, samples);
        engine.setParameters(parameters);
    }

    /** A task's training state as arrays for {@link Replicas#restore}. */
    static INDArray array(float[] values) {
        return values == null ? null : Nd4j.createFromArray(values).reshape(1, values.length);
    }
}
