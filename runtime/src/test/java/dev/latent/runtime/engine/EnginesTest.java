package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.settings.Backend;
import dev.latent.runtime.settings.NativeSettings;
import dev.latent.runtime.testing.SmallDenseNetwork;
import dev.latent.runtime.testing.TinyConvNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.nd4j.nativeblas.NativeOpsHolder;

/** The engine a network gets, and the native threads it runs on. */
class EnginesTest {

    static boolean oneDnn() {
        return Backend.isOneDnn();
    }

    private static int ompThreads() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    private static Engine create(AutoencoderNetwork network) {
        return Engines.create(network, network.training(), network.loss());
    }

    @Test
    @EnabledIf("oneDnn")
    void convolutionalNetworksTakeEveryThreadAndDenseOnesOne() {
        int before = NativeSettings.threadLimit();
        try {
            NativeSettings.limitThreads(2);
            assertInstanceOf(GraphEngine.class, create(new TinyConvNetwork()));
            assertEquals(2, ompThreads(), "a convolutional network uses the limit");
            assertInstanceOf(GraphEngine.class, create(new SmallDenseNetwork()));
            assertEquals(1, ompThreads(), "a dense network uses one thread");
            assertInstanceOf(GraphEngine.class, create(new TinyConvNetwork()));
            assertEquals(2, ompThreads(), "and the next convolutional one the limit again");
        } finally {
            NativeSettings.limitThreads(before);
        }
    }

    @Test
    void noNetworkGoesBeyondTheLimit() {
        int before = NativeSettings.threadLimit();
        try {
            NativeSettings.limitThreads(1);
            create(new TinyConvNetwork());
            assertEquals(1, ompThreads());
            NativeSettings.useThreads(8);
            assertEquals(1, ompThreads());
        } finally {
            NativeSettings.limitThreads(before);
        }
    }
}
