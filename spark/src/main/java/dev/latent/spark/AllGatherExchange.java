package dev.latent.spark;

import dev.latent.runtime.engine.GradientExchange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.apache.spark.BarrierTaskContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Averages an array over the tasks of a barrier stage through Spark's own
 * {@link BarrierTaskContext#allGather}: each task sends its values and their weight (its batch's
 * samples), every task receives all of them in partition order, and each computes the same
 * weighted mean, in the same order, so the replicas stay bit-identical. Spark's all-gather carries
 * strings, so the values travel as Base64 of little-endian floats.
 */
final class AllGatherExchange implements GradientExchange {
    private final BarrierTaskContext context;
    private final Waker waker;
    private boolean nonFinite;
    private long exchanges;
    private long nanos;

    /** @param prompt whether to wake the waiting task as soon as the answer can have come; see {@link Waker} */
    AllGatherExchange(BarrierTaskContext context, boolean prompt) {
        this.context = context;
        this.waker = new Waker(prompt);
    }

    /** Stops the waker's thread. */
    void close() {
        waker.close();
    }

    @Override
    public void exchange(INDArray values, long samples) {
        long start = System.nanoTime();
        float[] mine = values.data().asFloat();
        String[] all = waker.gather(context, encode(mine, samples));
        float[] mean = weightedMean(all, mine.length);
        for (float value : mean) {
            if (!Float.isFinite(value)) {
                nonFinite = true;
                break;
            }
        }
        values.assign(Nd4j.createFromArray(mean).reshape(values.shape()));
        exchanges++;
        nanos += System.nanoTime() - start;
    }

    /** Whether an averaged array held NaN or infinity: every replica sees the same and stops. */
    boolean nonFinite() {
        return nonFinite;
    }

    /** Exchanges made so far. */
    long exchanges() {
        return exchanges;
    }

    /** Time spent in exchanges so far, in nanoseconds: encoding, the all-gather and the mean. */
    long nanos() {
        return nanos;
    }

    static String encode(float[] values, long samples) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return samples + ":" + Base64.getEncoder().encodeToString(bytes.array());
    }

    /** The mean of every task's values, each weighted by its samples, summed in partition order. */
    static float[] weightedMean(String[] messages, int length) {
        double[] sum = new double[length];
        long total = 0;
        for (String message : messages) {
            int colon = message.indexOf(':');
            long samples = Long.parseLong(message.substring(0, colon));
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(message.substring(colon + 1)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.remaining() != length * Float.BYTES) {
                throw new IllegalStateException("a replica sent " + bytes.remaining() / Float.BYTES + " values, not "
                        + length + ": the replicas hold different models");
            }
            for (int i = 0; i < length; i++) {
                sum[i] += samples * (double) bytes.getFloat();
            }
            total += samples;
        }
        float[] mean = new float[length];
        for (int i = 0; i < length; i++) {
            mean[i] = (float) (sum[i] / total);
        }
        return mean;
    }
}
