package dev.latent.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.bytedeco.javacpp.Pointer;

/**
 * Samples heap and native memory every 20 ms on a daemon thread and keeps the peaks. Native
 * memory is what JavaCPP allocated for ND4J's arrays ({@link Pointer#totalBytes()}).
 */
final class MemoryWatch implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakHeap;
    private volatile long peakOffHeap;

    private MemoryWatch() {
        thread = new Thread(this::watch, "latent-bench-memory");
        thread.setDaemon(true);
    }

    static MemoryWatch start() {
        MemoryWatch watch = new MemoryWatch();
        watch.thread.start();
        return watch;
    }

    private void watch() {
        while (running) {
            sample();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
        peakOffHeap = Math.max(peakOffHeap, Pointer.totalBytes());
    }

    double peakHeapMb() {
        sample();
        return peakHeap / 1048576.0;
    }

    double peakOffHeapMb() {
        sample();
        return peakOffHeap / 1048576.0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
