package dev.latent.examples.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.latent.dsl.Autoencoder;
import dev.latent.processor.LatentProcessor;
import dev.latent.runtime.model.Denoiser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The README's setup, as a newcomer follows it: a fresh Maven project outside this build, whose
 * {@code pom.xml} and {@code .mvn/maven.config} are the README's own marked blocks, with a model
 * and a JUnit 5 test of its own that uses the test kit and trains. {@code mvn test} on it must run
 * that test and pass it. So the README's snippets cannot drift from what works: drop Surefire 3
 * from them and this fails with "Tests run: 0".
 *
 * <p>The project builds offline against this build's jars (see {@link PrivateRepository}) and
 * the developer's local repository, which this build has already filled with everything the
 * snippets name.
 */
@Tag("slow")
class ReadmeSetupTest {

    private static final int USER_TESTS = 2;
    private static final long MAVEN_MINUTES = 10;

    @Test
    void theReadmeSetupCompilesTestsAndTrainsAUsersModel() throws Exception {
        Path root = Path.of(property("latent.repositoryRoot")).toRealPath();
        String version = property("latent.version");
        ReadmeSnippets readme = ReadmeSnippets.read(root.resolve("README.md"));

        Path work = Files.createTempDirectory("latent-readme-setup");
        PrivateRepository repository = PrivateRepository.over(
                Path.of(property("latent.localRepository")), work.resolve("repository"), version);
        repository.installPom("latent-parent", root.resolve("pom.xml"));
        repository.installJar("latent-annotations", PrivateRepository.locationOf(Autoencoder.class),
                root.resolve("dsl-annotations/pom.xml"));
        repository.installJar("latent-runtime", PrivateRepository.locationOf(Denoiser.class),
                root.resolve("runtime/pom.xml"));
        repository.installJar("latent-processor", PrivateRepository.locationOf(LatentProcessor.class),
                root.resolve("dsl-processor/pom.xml"));

        Path project = work.resolve("my-models");
        writeProject(project, readme);
        Path log = work.resolve("mvn.log");
        int exit = runMaven(project, repository.root(), log);

        String outcome = "mvn test in " + project + " (log " + log + ") exited " + exit + "; its last lines:\n"
                + tail(log, 40);
        if (exit != 0) {
            fail(outcome);
        }
        int[] counts = surefireCounts(project.resolve("target/surefire-reports"), outcome);
        assertEquals(USER_TESTS, counts[0], "tests run in the README's setup\n" + outcome);
        assertEquals(0, counts[1] + counts[2], "failures and errors in the README's setup\n" + outcome);
        assertEquals(0, counts[3], "tests skipped in the README's setup\n" + outcome);

        PrivateRepository.deleteTree(work);
    }

    /**
     * A user's project: the README's pom blocks inside a bare project, its tour's model, code and
     * test, and a small model with a test of its own that runs.
     */
    private static void writeProject(Path project, ReadmeSnippets readme) throws IOException {
        String pom = """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>my.models</groupId>
                  <artifactId>my-models</artifactId>
                  <version>1.0</version>
                  <properties>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                """ + readme.block("setup:dependencies") + readme.block("setup:build") + "</project>\n";
        write(project.resolve("pom.xml"), pom);
        write(project.resolve(".mvn/maven.config"), readme.block("setup:maven-config"));

        Path main = project.resolve("src/main/java/my/models");
        Path test = project.resolve("src/test/java/my/models");
        write(main.resolve("ConvDenoiser.java"), readme.block("tour:model"));
        write(main.resolve("ReadmeTour.java"), UserSources.tour(readme.block("tour:train") + readme.block("tour:use")));
        write(test.resolve("ConvDenoiserTest.java"), "package my.models;\n\n" + readme.block("tour:test"));
        write(main.resolve("TinyDenoiser.java"), UserSources.MODEL);
        write(test.resolve("TinyDenoiserTest.java"), UserSources.TEST);
    }

    private static int runMaven(Path project, Path repository, Path log) throws IOException, InterruptedException {
        Path mvn = Path.of(property("latent.mavenHome"), "bin", "mvn");
        // The tour's ConvDenoiserTest is compiled, not run: SeedExamplesKitTest runs the same checks on
        // the same network here, and it takes a while.
        ProcessBuilder builder = new ProcessBuilder(mvn.toString(), "-B", "-o",
                "-Dmaven.repo.local=" + repository, "-Dtest=" + UserSources.TEST_CLASS, "test")
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process maven = builder.start();
        if (!maven.waitFor(MAVEN_MINUTES, TimeUnit.MINUTES)) {
            maven.destroyForcibly();
            fail("mvn test in " + project + " did not finish in " + MAVEN_MINUTES + " minutes; log " + log
                    + ":\n" + tail(log, 40));
        }
        return maven.exitValue();
    }

    /** Tests run, failures, errors and skipped, summed over Surefire's XML reports. */
    private static int[] surefireCounts(Path reports, String outcome) throws Exception {
        if (!Files.isDirectory(reports)) {
            fail("no Surefire reports in " + reports + ": the README's setup ran no test\n" + outcome);
        }
        int[] counts = new int[4];
        List<Path> files;
        try (Stream<Path> list = Files.list(reports)) {
            files = list.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).toList();
        }
        for (Path file : files) {
            Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile())
                    .getDocumentElement();
            counts[0] += Integer.parseInt(suite.getAttribute("tests"));
            counts[1] += Integer.parseInt(suite.getAttribute("failures"));
            counts[2] += Integer.parseInt(suite.getAttribute("errors"));
            counts[3] += Integer.parseInt(suite.getAttribute("skipped"));
        }
        return counts;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            fail("system property " + name + " is not set; run this test through Maven (examples/pom.xml sets it)");
        }
        return value;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String tail(Path log, int lines) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
