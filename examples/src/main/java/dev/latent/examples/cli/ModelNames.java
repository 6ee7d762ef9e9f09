package dev.latent.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The model interfaces compiled into some class path entries, found by their generated
 * {@code ...Network} classes, and the ones whose names are closest to a name that matched none.
 */
final class ModelNames {
    private static final String SUFFIX = "Network.class";
    /** Suggestions at most. */
    private static final int SUGGESTIONS = 3;

    private ModelNames() {}

    /** The models in {@code entries}, as a user names them ({@code p.Outer.Model} for a nested one). */
    static Set<String> in(List<Path> entries) {
        Set<String> models = new TreeSet<>();
        for (Path entry : entries) {
            Set<String> classFiles = classFiles(entry);
            for (String file : classFiles) {
                if (file.endsWith(SUFFIX)) {
                    String model = file.substring(0, file.length() - SUFFIX.length());
                    // A nested model p.Outer$Model generates p.Outer_ModelNetwork.
                    int underscore = model.lastIndexOf('_');
                    String nested = underscore < 0 ? null
                            : model.substring(0, underscore) + "$" + model.substring(underscore + 1);
                    if (classFiles.contains(model + ".class")) {
                        models.add(model.replace('/', '.').replace('$', '.'));
                    } else if (nested != null && classFiles.contains(nested + ".class")) {
                        models.add(nested.replace('/', '.').replace('$', '.'));
                    }
                }
            }
        }
        return models;
    }

    /** The {@code models} closest to {@code name} (a few at most), by edit distance of the full or the simple name. */
    static List<String> closest(String name, Set<String> models) {
        String wanted = name.toLowerCase(Locale.ROOT);
        String wantedSimple = simple(wanted);
        int limit = Math.max(2, wantedSimple.length() / 3);
        record Scored(String model, int distance) {}
        List<Scored> near = models.stream()
                .map(m -> new Scored(m, Math.min(distance(wanted, m.toLowerCase(Locale.ROOT)),
                        distance(wantedSimple, simple(m.toLowerCase(Locale.ROOT))))))
                .filter(s -> s.distance() <= limit)
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::model))
                .toList();
        // The nearest only: SeedExample3 for SeedExampl3, not its siblings one letter further.
        return near.stream().filter(s -> s.distance() == near.get(0).distance()).limit(SUGGESTIONS)
                .map(Scored::model).toList();
    }

    private static String simple(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The class files of a folder or jar, as paths with '/' ({@code p/Model.class}); none when unreadable. */
    private static Set<String> classFiles(Path entry) {
        Set<String> files = new TreeSet<>();
        try {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> walk = Files.walk(entry)) {
                    walk.filter(p -> p.toString().endsWith(".class"))
                            .forEach(p -> files.add(entry.relativize(p).toString().replace('\\', '/')));
                }
            } else if (Files.isRegularFile(entry)) {
                try (ZipFile jar = new ZipFile(entry.toFile())) {
                    for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements();) {
                        String file = e.nextElement().getName();
                        if (file.endsWith(".class")) {
                            files.add(file);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Only suggestions are lost; the lookup itself said what is missing.
        }
        return files;
    }
}
