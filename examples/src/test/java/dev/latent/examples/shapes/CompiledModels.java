package dev.latent.examples.shapes;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.latent.processor.LatentProcessor;
import dev.latent.runtime.AutoencoderNetwork;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import javax.tools.JavaFileObject;

/** Random valid models ({@link RandomModels}) compiled with the processor in memory and loaded. */
final class CompiledModels {
    private static final int PER_COMPILATION = 50;

    private CompiledModels() {}

    /** {@code count} models named {@code prefix0, prefix1, ...} from {@code generator}, seeded by {@code random}. */
    static List<AutoencoderNetwork> compile(int count, String prefix, BiFunction<String, Random, String> generator,
            Random random) throws Exception {
        List<AutoencoderNetwork> networks = new ArrayList<>();
        for (int from = 0; from < count; from += PER_COMPILATION) {
            List<JavaFileObject> sources = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + PER_COMPILATION); i++) {
                String name = prefix + i;
                names.add(name);
                sources.add(JavaFileObjects.forSourceString("shapes." + name, generator.apply(name, random)));
            }
            Compilation compilation = javac().withProcessors(new LatentProcessor()).withClasspath(testClassPath())
                    .compile(sources);
            if (compilation.status() != Compilation.Status.SUCCESS) {
                throw new AssertionError("random valid models must compile: " + compilation.errors().get(0)
                        + "\n" + sources.get(0).getCharContent(true));
            }
            ClassLoader loader = new GeneratedClasses(compilation);
            for (String name : names) {
                networks.add((AutoencoderNetwork) loader.loadClass("shapes." + name + "Network").getConstructor().newInstance());
            }
        }
        return networks;
    }

    private static List<File> testClassPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(path.split(File.pathSeparator)).map(File::new).toList();
    }

    /** Loads the classes a compilation wrote, from memory. */
    private static final class GeneratedClasses extends ClassLoader {
        private final Map<String, JavaFileObject> classes = new HashMap<>();

        GeneratedClasses(Compilation compilation) {
            super(CompiledModels.class.getClassLoader());
            for (JavaFileObject file : compilation.generatedFiles()) {
                if (file.getKind() == JavaFileObject.Kind.CLASS) {
                    String path = file.toUri().getPath();
                    String binary = path.substring(path.indexOf("shapes/"), path.length() - ".class".length()).replace('/', '.');
                    classes.put(binary, file);
                }
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            JavaFileObject file = classes.get(name);
            if (file == null) {
                throw new ClassNotFoundException(name);
            }
            try (InputStream in = file.openInputStream()) {
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
