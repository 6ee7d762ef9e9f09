package dev.latent.runtime.engine;

import dev.latent.runtime.settings.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;

/**
 * The versions a model was trained with, saved beside it as Tribuo records provenance: Latent,
 * DL4J, ND4J, oneDNN's presets, the natives' platform and build. Read from the libraries' own
 * Maven metadata, so it needs no build step of ours.
 */
public final class Provenance {
    private Provenance() {}

    /** Name to version, in a stable order; "unknown" where a library does not say. */
    public static Map<String, String> current() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("latent", mavenVersion("dev.latent", "latent-runtime"));
        versions.put("deeplearning4j", mavenVersion("org.deeplearning4j", "deeplearning4j-nn"));
        versions.put("nd4j", mavenVersion("org.nd4j", "nd4j-api"));
        versions.put("onednn-presets", mavenVersion("org.bytedeco", "dnnl"));
        versions.put("platform", Loader.getPlatform());
        versions.put("natives", Backend.isOneDnn() ? "nd4j-native with oneDNN" : "nd4j-native");
        versions.put("onednn-loaded", Boolean.toString(OneDnn.available()));
        return versions;
    }

    /** As properties text, one {@code name=version} a line. */
    public static String text() {
        StringBuilder s = new StringBuilder();
        current().forEach((name, version) -> s.append(name).append('=').append(version).append('\n'));
        return s.toString();
    }

    private static String mavenVersion(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Provenance.class.getResourceAsStream(resource)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // falls through to the package's own word
        }
        Package p = Provenance.class.getPackage();
        return artifact.equals("latent-runtime") && p.getImplementationVersion() != null
                ? p.getImplementationVersion()
                : "unknown";
    }
}
