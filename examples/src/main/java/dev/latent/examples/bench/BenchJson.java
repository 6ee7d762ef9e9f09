package dev.latent.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON file a benchmark leaves next to its table ({@code bench.json}, {@code engine-matrix.json}):
 * the run's settings, then a {@code models} array of one object a line, so that a diff of two runs
 * reads model by model.
 */
final class BenchJson {
    private BenchJson() {}

    /**
     * Writes {@code dir/fileName} and says so on {@code out}.
     *
     * @param settings the run's fields, each already JSON: {@code "quick": true}
     * @param models one JSON object per model, in the table's order
     */
    static void write(Path dir, String fileName, List<String> settings, List<String> models, PrintStream out) {
        StringBuilder json = new StringBuilder("{\n");
        for (String setting : settings) {
            json.append("  ").append(setting).append(",\n");
        }
        json.append("  \"models\": [\n");
        for (int i = 0; i < models.size(); i++) {
            json.append("    ").append(models.get(i)).append(i < models.size() - 1 ? ",\n" : "\n");
        }
        json.append("  ]\n}\n");
        writeFile(dir, fileName, json, out);
    }

    /** Writes {@code json} to {@code dir/fileName}, creating the folder, and says where. */
    static void writeFile(Path dir, String fileName, CharSequence json, PrintStream out) {
        Path file = dir.resolve(fileName);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, json, StandardCharsets.UTF_8);
            out.println("wrote " + file.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code text} as the inside of a JSON string: backslashes and quotes escaped. */
    static String text(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
