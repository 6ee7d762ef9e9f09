package dev.latent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages depend on each other in one direction only, down the layers of
 * {@link #LAYERS}: settings and shapes at the bottom; files, data and noise; the network a
 * generated class describes; the engine; the trained model; the trainer on top. A plain scan of
 * the main sources' imports and qualified names (comments and string literals left out) fails on a
 * cycle or an upward dependency, naming the classes that make it.
 */
class PackageDependenciesTest {
    private static final String ROOT = "dev.latent.runtime";
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.latent\\.runtime(?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");

    /** Package to the packages it uses, each with the classes of the first that use it. */
    private static Map<String, Map<String, Set<String>>> dependencies() {
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve(ROOT.replace('.', '/')))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = withoutCommentsAndStrings(Files.readString(file));
                Matcher declared = PACKAGE.matcher(code);
                if (!declared.find()) {
                    continue;
                }
                String from = declared.group(1);
                Matcher reference = REFERENCE.matcher(code);
                while (reference.find()) {
                    String to = reference.group(1);
                    if (!to.equals(from)) {
                        graph.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>())
                                .add(file.getFileName().toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** The code with comments, string and character literals and text blocks blanked out. */
    static String withoutCommentsAndStrings(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i) < 0 ? source.length() : source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                code.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? source.length() : end + 3;
                code.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                code.append(c).append(c);
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }

    @Test
    void theScanSeesThroughCommentsAndStringsOnly() {
        String code = withoutCommentsAndStrings("""
                import dev.latent.runtime.engine.Engine; // dev.latent.runtime.train.Hidden
                /* dev.latent.runtime.model.Hidden */ String s = "dev.latent.runtime.noise.Hidden\\"";
                char q = '"'; dev.latent.runtime.data.Dataset d;
                """);
        List<String> found = new ArrayList<>();
        Matcher reference = REFERENCE.matcher(code);
        while (reference.find()) {
            found.add(reference.group(1));
        }
        assertEquals(List.of(ROOT + ".engine", ROOT + ".data"), found);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        Map<String, Map<String, Set<String>>> graph = dependencies();
        assertTrue(graph.containsKey(ROOT + ".engine"), "the scan found the engine's sources under " + SOURCES.toAbsolutePath());
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            List<String> path = cycleFrom(start, graph, new ArrayList<>(List.of(start)));
            if (path != null && path.get(0).equals(start) && start.equals(path.stream().sorted().findFirst().orElseThrow())) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i + 1 < path.size(); i++) {
                    line.append(shortName(path.get(i))).append(" -> ").append(shortName(path.get(i + 1)))
                            .append(' ').append(graph.get(path.get(i)).get(path.get(i + 1))).append("; ");
                }
                cycles.add(line.toString());
            }
        }
        assertEquals(List.of(), cycles, "package cycles in the runtime");
    }

    /**
     * The layers, lowest first: a package may use the packages of the layers below its own only.
     * A new package has to be placed here.
     */
    private static final List<List<String>> LAYERS = List.of(
            List.of("settings", "random"),
            List.of("model.file", "data", "noise"),
            List.of(""), // AutoencoderNetwork: the network a generated class describes
            List.of("engine"),
            List.of("model.onnx"),
            List.of("model"),
            List.of("train"));

    private static int layerOf(String pkg) {
        String name = pkg.equals(ROOT) ? "" : pkg.substring(ROOT.length() + 1);
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(name)) {
                return i;
            }
        }
        throw new AssertionError("the package " + pkg + " has no layer in " + PackageDependenciesTest.class.getSimpleName()
                + ".LAYERS; place it there");
    }

    @Test
    void everyPackageUsesOnlyTheLayersBelowItsOwn() {
        List<String> upward = new ArrayList<>();
        dependencies().forEach((from, used) -> used.forEach((to, classes) -> {
            if (layerOf(to) >= layerOf(from)) {
                upward.add(shortName(from) + " -> " + shortName(to) + " " + classes);
            }
        }));
        assertEquals(List.of(), upward, "dependencies that do not point down the layers (the engine, for one, knows"
                + " nothing of the trainer or the trained model)");
    }

    /** A path from {@code path}'s last package back to its first, or null. */
    private static List<String> cycleFrom(String start, Map<String, Map<String, Set<String>>> graph, List<String> path) {
        String last = path.get(path.size() - 1);
        for (String next : graph.getOrDefault(last, Map.of()).keySet()) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (!path.contains(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, graph, path);
                path.remove(path.size() - 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String shortName(String pkg) {
        return pkg.equals(ROOT) ? "(root)" : pkg.substring(ROOT.length() + 1);
    }
}
