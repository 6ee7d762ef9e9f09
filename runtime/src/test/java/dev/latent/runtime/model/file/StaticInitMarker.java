package dev.latent.runtime.model.file;

import org.nd4j.linalg.activations.impl.ActivationIdentity;

/** A class whose static initialiser records that something initialised it: named in a JSON, it must not run. */
public final class StaticInitMarker extends ActivationIdentity {
    static {
        // Recorded elsewhere: reading a field of this class would itself initialise it.
        PlantedObject.markerInitialised = true;
    }
}
