package dev.latent.examples.cli;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's own compiled models: the folders and jars of {@code LATENT_CLASSPATH} and of every
 * {@code --classpath}, in that order, searched after the command line's own classes. A jar run with
 * {@code java -jar} ignores {@code java -cp}, which is why the command line takes its own option.
 */
final class UserClassPath {
    /** The environment variable the {@code latent} launcher and the command line read. */
    static final String VARIABLE = "LATENT_CLASSPATH";

    private final List<Path> entries;

    private UserClassPath(List<Path> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * The entries of {@code environment} (the variable's value, or null) and of {@code options},
     * each a list separated by {@code File.pathSeparator}.
     *
     * @throws UsageException when an entry does not exist
     */
    static UserClassPath of(String environment, List<String> options) {
        List<Path> entries = new ArrayList<>();
        if (environment != null) {
            add(entries, environment, VARIABLE);
        }
        for (String option : options) {
            add(entries, option, "--classpath");
        }
        return new UserClassPath(entries);
    }

    private static void add(List<Path> entries, String list, String source) {
        for (String entry : list.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry);
            if (!Files.isDirectory(path) && !(Files.isRegularFile(path) && entry.endsWith(".jar"))) {
                throw new UsageException(source + ": " + entry + (Files.exists(path) ? " is neither a folder nor a .jar"
                        : " does not exist") + "; give folders of compiled classes (e.g. target/classes) and jars, "
                        + "separated by '" + File.pathSeparator + "'");
            }
            entries.add(path.toAbsolutePath().normalize());
        }
    }

    List<Path> entries() {
        return entries;
    }

    /** A loader of the entries' classes after {@code parent}'s; {@code parent} itself when there are none. */
    ClassLoader loader(ClassLoader parent) {
        if (entries.isEmpty()) {
            return parent;
        }
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = entries.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UsageException("--classpath: " + entries.get(i) + " cannot be read as a class path entry");
            }
        }
        return new URLClassLoader(urls, parent);
    }
}
