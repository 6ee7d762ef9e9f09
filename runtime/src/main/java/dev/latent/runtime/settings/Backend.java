package dev.latent.runtime.settings;

import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Chooses ND4J's native build. ND4J ships a build with oneDNN, whose convolutions, pooling and
 * matrix products train the seed's conv model 6 times faster than the plain build; oneDNN picks
 * the CPU's best instructions (AVX2, AVX-512) itself at run time, so the one build is safe on
 * any x86-64 CPU. The runtime depends on it where it exists (Linux x86-64) and selects it here,
 * before ND4J loads its natives. Elsewhere, or when ND4J loaded first, the plain build runs.
 *
 * <p>A user who touches ND4J before Latent, or who wants the plain build, sets
 * {@code -Dorg.bytedeco.javacpp.platform.extension=-onednn} (or {@code =} for plain) themselves;
 * an explicit setting always wins.
 */
public final class Backend {
    /** JavaCPP's system property that picks a variant of the natives. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    private static final String ONEDNN = "-onednn";
    private static boolean selected;

    private Backend() {}

    /**
     * Selects the oneDNN build when it is on the class path for this platform and nothing was
     * chosen yet. Idempotent; every runtime class that may be first to use ND4J calls it from its
     * static initializer.
     */
    public static synchronized void select() {
        if (selected) {
            return;
        }
        selected = true;
        if (System.getProperty(EXTENSION_PROPERTY) != null) {
            return;
        }
        String library = "org/nd4j/linalg/cpu/nativecpu/bindings/" + Loader.getPlatform() + ONEDNN + "/"
                + System.mapLibraryName("jnind4jcpu");
        if (Backend.class.getClassLoader().getResource(library) != null) {
            System.setProperty(EXTENSION_PROPERTY, ONEDNN);
        }
    }

    /** Whether the natives ND4J loaded are the oneDNN build. Loads ND4J if it was not. */
    public static boolean isOneDnn() {
        select();
        Nd4j.getEnvironment();
        return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
    }
}
