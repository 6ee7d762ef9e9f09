package dev.latent.spark;

import java.util.concurrent.locks.LockSupport;
import org.apache.spark.BarrierTaskContext;

/**
 * Spark's all-gather (BarrierTaskContext.runBarrier, Spark 3 and 4.0) waits for its answer in
 * sleeps of one second, and only an interrupt cuts a sleep short: a step that averages gradients
 * would wait 0.5 s on average for an answer that came in milliseconds. While a task waits in the
 * all-gather, this wakes it every {@value #PERIOD_MICROS} microseconds; Spark's loop swallows the
 * interrupt and looks again whether its answer has come. The interrupt never outlives the
 * call: the flag is cleared, under the same lock, before {@link #gather} returns.
 */
final class Waker implements AutoCloseable {
    private static final long PERIOD_MICROS = 200;

    private final Object lock = new Object();
    private final Thread thread;
    private Thread waiting;
    private volatile boolean closed;

    Waker(boolean prompt) {
        if (prompt) {
            thread = new Thread(this::wake, "latent-allgather-waker");
            thread.setDaemon(true);
            thread.start();
        } else {
            thread = null;
        }
    }

    String[] gather(BarrierTaskContext context, String message) {
        if (thread == null) {
            return context.allGather(message);
        }
        synchronized (lock) {
            waiting = Thread.currentThread();
        }
        LockSupport.unpark(thread);
        try {
            return context.allGather(message);
        } finally {
            synchronized (lock) {
                waiting = null;
                Thread.interrupted();
            }
        }
    }

    private void wake() {
        while (!closed) {
            Thread target;
            synchronized (lock) {
                target = waiting;
                if (target != null) {
                    target.interrupt();
                }
            }
            // Asleep between all-gathers: gather unparks it.
            if (target == null) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(PERIOD_MICROS * 1000);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
