package dev.latent.runtime.engine;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Dropout generators' states as text: one {@code layer=word,word,...} a line, words in hex. */
final class DropoutStates {
    private static final int MAX_LAYERS = 1024;
    private static final int MAX_WORDS = 16;

    private DropoutStates() {}

    static String text(Map<String, long[]> states) {
        StringBuilder s = new StringBuilder();
        states.forEach((layer, words) -> {
            s.append(layer).append('=');
            for (int i = 0; i < words.length; i++) {
                s.append(i == 0 ? "" : ",").append(Long.toHexString(words[i]));
            }
            s.append('\n');
        });
        return s.toString();
    }

    /**
     * The states in {@code text}, checked line by line.
     *
     * @throws IllegalArgumentException naming {@code entry} and the line when one is not a state
     */
    static Map<String, long[]> parse(String text, String entry) {
        Map<String, long[]> states = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int equals = line.indexOf('=');
            String[] words = equals > 0 ? line.substring(equals + 1).split(",") : new String[0];
            if (equals <= 0 || words.length == 0 || words.length > MAX_WORDS || states.size() >= MAX_LAYERS) {
                throw new IllegalArgumentException(entry + ": not a dropout generator's state: " + abbreviated(line));
            }
            try {
                states.put(line.substring(0, equals), Arrays.stream(words).mapToLong(w -> Long.parseUnsignedLong(w, 16)).toArray());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(entry + ": not a dropout generator's state: " + abbreviated(line));
            }
        }
        return states;
    }

    private static String abbreviated(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
