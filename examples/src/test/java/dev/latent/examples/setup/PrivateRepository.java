package dev.latent.examples.setup;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A Maven local repository for a project outside this build: this build's Latent artifacts,
 * installed fresh, over everything else of the developer's local repository.
 *
 * <p>Maven 3.8 reads one local repository and cannot chain a second behind it, and copying the
 * shared one (DL4J's natives: hundreds of MB) for every run is slow. So every entry of the shared
 * repository is linked in, except {@code dev/latent}, which holds only what this build made:
 * an older Latent in the shared repository can never stand in for it, and nothing of this build
 * is written into the shared repository. Used offline, Maven only reads through the links.
 */
final class PrivateRepository {

    private static final List<String> LATENT_GROUP = List.of("dev", "latent");

    private final Path root;
    private final String version;

    private PrivateRepository(Path root, String version) {
        this.root = root;
        this.version = version;
    }

    /** A repository at {@code root} that links to {@code shared} for everything but {@code dev.latent}. */
    static PrivateRepository over(Path shared, Path root, String version) throws IOException {
        linkAllBut(shared, root, LATENT_GROUP);
        return new PrivateRepository(root, version);
    }

    Path root() {
        return root;
    }

    /** Installs a pom-only artifact, as {@code mvn install} would lay it out. */
    void installPom(String artifactId, Path pom) throws IOException {
        Files.copy(pom, artifactDirectory(artifactId).resolve(artifactId + "-" + version + ".pom"));
    }

    /**
     * Installs a jar and its pom. {@code classes} is where the class path found the module: its
     * jar (after {@code package}) or its classes folder (after {@code test-compile}), then jarred here.
     */
    void installJar(String artifactId, Path classes, Path pom) throws IOException {
        Path directory = artifactDirectory(artifactId);
        Path jar = directory.resolve(artifactId + "-" + version + ".jar");
        if (Files.isDirectory(classes)) {
            writeJar(classes, jar);
        } else {
            Files.copy(classes, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(pom, directory.resolve(artifactId + "-" + version + ".pom"));
    }

    /** The jar or classes folder that {@code type} was loaded from. */
    static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the class path entry of " + type.getName(), e);
        }
    }

    private Path artifactDirectory(String artifactId) throws IOException {
        Path directory = root;
        for (String part : LATENT_GROUP) {
            directory = directory.resolve(part);
        }
        return Files.createDirectories(directory.resolve(artifactId).resolve(version));
    }

    /** Links every entry of {@code from} into {@code to}, except the path {@code own}, made real and empty. */
    private static void linkAllBut(Path from, Path to, List<String> own) throws IOException {
        Files.createDirectories(to);
        if (own.isEmpty()) {
            return;
        }
        if (Files.isDirectory(from)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (!name.equals(own.get(0))) {
                        Files.createSymbolicLink(to.resolve(name), entry);
                    }
                }
            }
        }
        linkAllBut(from.resolve(own.get(0)), to.resolve(own.get(0)), own.subList(1, own.size()));
    }

    private static void writeJar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> paths = Files.walk(classes)) {
            for (Path path : (Iterable<Path>) paths.sorted()::iterator) {
                if (path.equals(classes)) {
                    continue;
                }
                String name = classes.relativize(path).toString().replace('\\', '/');
                boolean directory = Files.isDirectory(path);
                out.putNextEntry(new JarEntry(directory ? name + "/" : name));
                if (!directory) {
                    Files.copy(path, out);
                }
                out.closeEntry();
            }
        }
    }

    /** Deletes a folder with its contents; a link is removed, never what it points to. */
    static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> entries = Files.list(path)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    deleteTree(entry);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        Files.deleteIfExists(path);
    }
}
