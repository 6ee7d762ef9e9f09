package dev.latent.runtime;

import dev.latent.runtime.settings.LayerInfo;
import dev.latent.runtime.settings.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats a network's layer table the way Keras' {@code model.summary()} does. */
public final class Summary {
    private Summary() {}

    /** The table for {@code network}, with a title line, one row per layer and the totals. */
    public static String format(AutoencoderNetwork network) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Layer (type)", "Output Shape", "Param #"});
        rows.add(new String[] {"input (Input)", network.inputShape().toString(), "0"});
        for (LayerInfo layer : network.layers()) {
            rows.add(new String[] {
                layer.name() + " (" + layer.kind() + ")",
                layer.outputShape().toString(),
                String.format(Locale.ROOT, "%,d", layer.parameters())
            });
        }
        int[] widths = new int[3];
        for (String[] row : rows) {
            for (int i = 0; i < 3; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        int total = widths[0] + widths[1] + widths[2] + 4;
        StringBuilder out = new StringBuilder();
        out.append("Model: ").append(network.modelName()).append('\n');
        String rule = "=".repeat(total) + '\n';
        String thin = "-".repeat(total) + '\n';
        out.append(rule);
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            out.append(pad(row[0], widths[0])).append("  ")
                    .append(pad(row[1], widths[1])).append("  ")
                    .append(" ".repeat(widths[2] - row[2].length())).append(row[2]).append('\n');
            out.append(r == 0 ? rule : (r == rows.size() - 1 ? rule : thin));
        }
        out.append(String.format(Locale.ROOT, "Total params: %,d%n", network.parameterCount()));
        out.append("Latent code: ").append(network.codeShape())
                .append(String.format(Locale.ROOT, " (%,d values)%n", network.codeShape().size()));
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
