package dev.latent.processor.rules;

import dev.latent.processor.model.Layer;
import dev.latent.processor.model.SourceRef;

/** Where an error about a kernel or pool window goes, for {@link WindowTooLarge} and {@link WindowTooLong}. */
final class Windows {
    private Windows() {}

    /** The {@code kernel} attribute, or a pool's size ({@code size} or {@code value}). */
    static SourceRef attribute(Layer layer, String window) {
        return window.equals("kernel") ? layer.source().attribute("kernel") : layer.source().attribute("size", "value");
    }
}
