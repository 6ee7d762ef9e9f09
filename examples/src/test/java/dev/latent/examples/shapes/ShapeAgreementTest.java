package dev.latent.examples.shapes;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.latent.processor.LatentProcessor;
import dev.latent.runtime.AutoencoderNetwork;
import dev.latent.runtime.GraphPart;
import dev.latent.runtime.LayerInfo;
import dev.latent.runtime.Shape;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/**
 * The processor's shape inference agrees with DL4J's own: for 300 random valid architectures
 * (vectors and images, every layer kind, seeded) and 150 sequence ones, every layer's output shape and parameter count
 * as the processor infers them (the generated {@code layers()}) equal what DL4J computes for the
 * configuration the generated code builds ({@code getLayerActivationTypes}, {@code numParams}).
 */
class ShapeAgreementTest {
    private static final int MODELS = 300;
    private static final int SEQUENCE_MODELS = 150;
    private static final int PER_COMPILATION = 50;

    @Test
    void processorAndDl4jAgreeOnEveryLayer() throws Exception {
        int checkedLayers = agreeOn(MODELS, "M", RandomModels::source);
        assertTrue(checkedLayers > MODELS * 3, "checked " + checkedLayers + " layers");
    }

    /** The same for sequences {T, F}: every 1-D layer, LSTMs with and without returnSequences. */
    @Test
    void processorAndDl4jAgreeOnEverySequenceLayer() throws Exception {
        int checkedLayers = agreeOn(SEQUENCE_MODELS, "S", RandomModels::sequenceSource);
        assertTrue(checkedLayers > SEQUENCE_MODELS * 3, "checked " + checkedLayers + " layers");
    }

    private static int agreeOn(int models, String prefix, java.util.function.BiFunction<String, Random, String> generator)
            throws Exception {
        Random random = new Random(20261127L);
        int checkedLayers = 0;
        for (int batch = 0; batch < models / PER_COMPILATION; batch++) {
            List<JavaFileObject> sources = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < PER_COMPILATION; i++) {
                String name = prefix + (batch * PER_COMPILATION + i);
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
                AutoencoderNetwork network = (AutoencoderNetwork) loader.loadClass("shapes." + name + "Network")
                        .getConstructor().newInstance();
                checkedLayers += agree(name, network);
            }
        }
        return checkedLayers;
    }

    private static int agree(String name, AutoencoderNetwork network) {
        ComputationGraphConfiguration conf = network.configuration(GraphPart.AUTOENCODER, network.training(), network.loss());
        Shape in = network.inputShape();
        InputType input = in.isImage() ? InputType.convolutional(in.dim(0), in.dim(1), in.dim(2))
                : in.isSequence() ? InputType.recurrent(in.dim(1), in.dim(0)) : InputType.feedForward(in.dim(0));
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        for (LayerInfo layer : network.layers()) {
            InputType type = types.get(layer.name());
            assertEquals(layer.outputShape().toString(), shapeOf(type), name + " " + layer.name() + " (" + layer.kind()
                    + ") output shape, DL4J's " + type);
            long dl4jParams = graph.getLayer(layer.name()) == null ? 0 : graph.getLayer(layer.name()).numParams();
            assertEquals(layer.parameters(), dl4jParams, name + " " + layer.name() + " parameters");
        }
        assertEquals(network.parameterCount(), graph.numParams(), name + " total parameters");
        return network.layers().size();
    }

    /** DL4J's type as the processor writes shapes, in Keras order: {@code {T, F}} for a sequence. */
    private static String shapeOf(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return Shape.of((int) c.getHeight(), (int) c.getWidth(), (int) c.getChannels()).toString();
        }
        if (type instanceof InputType.InputTypeRecurrent r) {
            return "{" + r.getTimeSeriesLength() + ", " + r.getSize() + "}";
        }
        return Shape.of((int) type.arrayElementsPerExample()).toString();
    }

    private static List<File> testClassPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(path.split(File.pathSeparator)).map(File::new).toList();
    }

    /** Loads the classes a compilation wrote, from memory. */
    private static final class GeneratedClasses extends ClassLoader {
        private final Map<String, JavaFileObject> classes = new HashMap<>();

        GeneratedClasses(Compilation compilation) {
            super(ShapeAgreementTest.class.getClassLoader());
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
