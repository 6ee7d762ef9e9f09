package dev.latent.spark;

import dev.latent.runtime.engine.Engine;
import dev.latent.runtime.settings.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An engine as the bytes of its model file, which the driver broadcasts, and those bytes as an
 * engine again on an executor. Both go through a temporary file: the engine saves and loads files.
 */
final class EngineBytes {
    private EngineBytes() {}

    /** {@code engine}'s model file, to broadcast to the executors. */
    static byte[] of(Engine engine) {
        return throughTemporaryFile("latent-broadcast", "cannot write the model to send to the executors", file -> {
            Files.delete(file); // the engine writes a new file
            engine.save(file, Map.of());
            return Files.readAllBytes(file);
        });
    }

    /** The engine that {@link #of} made {@code bytes} from, for samples of {@code shape}. */
    static Engine engine(byte[] bytes, Shape shape) {
        return throughTemporaryFile("latent-replica", "cannot read the model the driver sent", file -> {
            Files.write(file, bytes);
            return Engine.load(file, shape);
        });
    }

    private interface FileWork<T> {
        T apply(Path file) throws IOException;
    }

    private static <T> T throughTemporaryFile(String prefix, String failure, FileWork<T> work) {
        Path file = null;
        try {
            file = Files.createTempFile(prefix, ".zip");
            return work.apply(file);
        } catch (IOException e) {
            throw new UncheckedIOException(failure + ": " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // A temporary file left behind is the operating system's to clean.
                }
            }
        }
    }
}
