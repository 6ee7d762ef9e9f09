package dev.latent.runtime.model.file;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;

/** A serialized object planted in a file: its readObject records that a loader deserialized it. */
public final class PlantedObject implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Set when any PlantedObject is deserialized. */
    public static volatile boolean ran;
    /** Set when {@link StaticInitMarker} is initialised. */
    public static volatile boolean markerInitialised;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        ran = true;
        in.defaultReadObject();
    }

    /**
     * The classic deserialization bomb: 100 levels of pairs of nested HashSets whose hash codes
     * a reader computes 2^100 times; a few kilobytes, JDK classes only.
     */
    public static Set<Object> hashSetBomb() {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("foo");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }
}
