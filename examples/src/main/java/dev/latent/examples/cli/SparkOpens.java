package dev.latent.examples.cli;

import java.util.List;

/**
 * The JVM options Spark 4 needs on Java 17 (the ones its own spark-submit adds): the command line
 * starts its child JVM with them, the launcher script passes them, and the jar's manifest opens
 * the same packages for {@code java -jar}.
 */
final class SparkOpens {
    private static final List<String> PACKAGES = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
            "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
            "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar");

    private SparkOpens() {}

    /** The options, as a JVM's command line takes them. */
    static List<String> options() {
        List<String> options = new java.util.ArrayList<>();
        for (String name : PACKAGES) {
            options.add("--add-opens=java.base/" + name + "=ALL-UNNAMED");
        }
        options.add("-Djdk.reflect.useDirectMethodHandle=false");
        options.add("-Dio.netty.tryReflectionSetAccessible=true");
        return options;
    }
}
