package dev.latent.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The processor's packages depend in one direction, read → model → check → generate: a scan of
 * the main sources' imports and fully qualified names fails on a use the table below does not allow.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/latent/processor");
    private static final String ROOT = "dev.latent.processor";
    /** What each package may use of the processor's own packages; the root, the processor, uses them all. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "model", Set.of(),
            "read", Set.of("model"),
            "shape", Set.of("model"),
            "check", Set.of("model"),
            "rules", Set.of("model", "shape", "check"),
            "generate", Set.of("model", "shape"));
    private static final Pattern USE = Pattern.compile("dev\\.latent\\.processor\\.(\\w+)\\.");

    @Test
    void packagesDependInOneDirection() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                if (relative.getNameCount() == 1) {
                    continue;
                }
                String from = relative.getName(0).toString();
                Set<String> allowed = ALLOWED.get(from);
                if (allowed == null) {
                    violations.add(relative + ": package " + ROOT + "." + from + " is not in the table");
                    continue;
                }
                Matcher use = USE.matcher(Files.readString(file));
                while (use.find()) {
                    String to = use.group(1);
                    if (!to.equals(from) && !allowed.contains(to)) {
                        violations.add(relative + " uses " + ROOT + "." + to);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
