package dev.latent.examples.setup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's marked code blocks: a line {@code <!-- KIND:NAME -->} (e.g. {@code setup:build},
 * {@code tour:train}) followed by a fenced block gives the block's text under {@code KIND:NAME}.
 * The marker, not the block's position, names it, so that the README can be rewritten around the
 * blocks without breaking the test that runs them.
 */
final class ReadmeSnippets {

    private static final Pattern MARKER = Pattern.compile("<!-- ([a-z]+:[a-z-]+) -->");
    private static final String FENCE = "```";

    private final Path source;
    private final Map<String, String> blocks;

    private ReadmeSnippets(Path source, Map<String, String> blocks) {
        this.source = source;
        this.blocks = blocks;
    }

    static ReadmeSnippets read(Path readme) throws IOException {
        return parse(readme, Files.readAllLines(readme));
    }

    static ReadmeSnippets parse(Path source, List<String> lines) {
        Map<String, String> blocks = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = MARKER.matcher(lines.get(i).strip());
            if (!marker.matches()) {
                continue;
            }
            String name = marker.group(1);
            int open = i + 1;
            if (open >= lines.size() || !lines.get(open).strip().startsWith(FENCE)) {
                throw new IllegalStateException(source + ": the marker " + name + " on line " + (i + 1)
                        + " is not followed by a fenced code block on the next line");
            }
            StringBuilder text = new StringBuilder();
            int close = open + 1;
            while (close < lines.size() && !lines.get(close).strip().equals(FENCE)) {
                text.append(lines.get(close)).append('\n');
                close++;
            }
            if (close == lines.size()) {
                throw new IllegalStateException(source + ": the block " + name + " opened on line " + (open + 1)
                        + " is never closed");
            }
            if (blocks.put(name, text.toString()) != null) {
                throw new IllegalStateException(source + ": two blocks are marked " + name);
            }
            i = close;
        }
        return new ReadmeSnippets(source, blocks);
    }

    /** The block marked {@code <!-- name -->}; fails naming the marker when the README has none. */
    String block(String name) {
        String text = blocks.get(name);
        if (text == null) {
            throw new IllegalStateException(source + " has no code block marked <!-- " + name
                    + " -->; found " + blocks.keySet());
        }
        return text;
    }
}
