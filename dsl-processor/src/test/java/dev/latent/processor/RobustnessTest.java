package dev.latent.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.latent.processor.Compilations.Compiler;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Tag;

/**
 * 2,000 random, mostly invalid, models (random annotations, attributes, shapes, orders and
 * nesting, sizes up to {@code Integer.MAX_VALUE}, methods with bodies, sections with both roles
 * or super-interfaces; every layer kind, the sequence layers, batch normalisation and dropout
 * included; always legal Java) compiled in one test: the processor never throws, every error on a
 * model is a Latent error, every valid one compiles, and whatever it generates compiles; under javac
 * and under ECJ.
 */
class RobustnessTest {
    private static final int MODELS = 2_000;
    private static final int PER_COMPILATION = 200;
    private static final String[] LAYERS = {"Dense", "Conv2D", "Conv2DTranspose", "MaxPool2D", "UpSampling2D",
            "Flatten", "Reshape", "Dropout", "BatchNormalization", "Conv1D", "MaxPool1D", "UpSampling1D", "LSTM"};
    /** Sizes whose products pass an int or a long, or just fit. */
    private static final int[] HUGE = {Integer.MAX_VALUE, 1 << 20, 46_341, 65_536, 1_000_000};

    // The 2,000-model fuzz, twice: the longest test of the module; .ci/run runs it (-Pall-tests).
    @Tag("slow")
    @BothCompilers
    void theProcessorAnswersEveryModelWithADiagnosticOrCode(Compiler compiler) {
        Random random = new Random(7L);
        int compiled = 0;
        int rejected = 0;
        for (int batch = 0; batch < MODELS / PER_COMPILATION; batch++) {
            Map<String, JavaFileObject> sources = new HashMap<>();
            List<String> valid = new ArrayList<>();
            for (int i = 0; i < PER_COMPILATION; i++) {
                String name = "F" + (batch * PER_COMPILATION + i);
                boolean isValid = random.nextInt(5) == 0;
                String text = isValid ? validModel(name, random) : source(name, random);
                JavaFileObject source = JavaFileObjects.forSourceString("fuzz." + name, text);
                sources.put(Outcome.pathOf(source), source);
                if (isValid) {
                    valid.add(Outcome.pathOf(source));
                }
            }
            Map<String, List<String>> errors = new HashMap<>();
            for (Outcome.Reported error : errors(compiler, sources.values())) {
                String file = error.file() == null ? "(none)" : error.file();
                String message = error.message();
                assertTrue(!message.contains("[latent:internal]"), compiler + ": the processor failed: " + message);
                assertTrue(message.contains("[latent:"), compiler + ": a non-Latent error in " + file + ": " + message
                        + "\n" + content(sources.get(file)));
                assertTrue(sources.containsKey(file), compiler + ": generated code does not compile: " + file + ": "
                        + message);
                errors.computeIfAbsent(file, k -> new ArrayList<>()).add(message);
            }
            for (String file : valid) {
                assertTrue(!errors.containsKey(file), compiler + ": a valid model was rejected: " + errors.get(file)
                        + "\n" + content(sources.get(file)));
            }
            for (String file : sources.keySet()) {
                if (errors.containsKey(file)) {
                    rejected++;
                } else {
                    compiled++;
                }
            }
        }
        assertTrue(rejected > MODELS / 2, "mostly invalid models: " + rejected + " rejected, " + compiled + " compiled");
        assertTrue(compiled > 0, "some random models are valid and compile: " + compiled);
    }

    /** The errors of one compile of {@code sources}, generated code included. */
    private static List<Outcome.Reported> errors(Compiler compiler, java.util.Collection<JavaFileObject> sources) {
        if (compiler == Compiler.ECJ) {
            return compiler.compile(sources.toArray(JavaFileObject[]::new)).diagnostics().stream()
                    .filter(Outcome.Reported::isError).toList();
        }
        // javac stops reporting at 100 errors unless told otherwise.
        Compilation compilation = javac().withProcessors(new LatentProcessor()).withClasspath(testClassPath())
                .withOptions("-Xmaxerrs", "100000", "-Xmaxwarns", "0").compile(sources);
        return compilation.errors().stream()
                .map(d -> new Outcome.Reported(d.getKind(), d.getMessage(Locale.ROOT),
                        d.getSource() == null ? null : Outcome.pathOf(d.getSource()), d.getLineNumber(),
                        d.getColumnNumber()))
                .toList();
    }

    private static String content(JavaFileObject file) {
        try {
            return file == null ? "" : file.getCharContent(true).toString();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** A valid model: an image or vector model, or a sequence model. */
    private static String validModel(String name, Random r) {
        return r.nextInt(3) == 0 ? validSequence(name, r) : valid(name, r);
    }

    private static String source(String name, Random r) {
        StringBuilder s = new StringBuilder("package fuzz;\nimport dev.latent.dsl.*;\n");
        boolean nested = r.nextInt(5) == 0;
        if (nested) {
            s.append("public class ").append(name).append(" {\n");
        }
        s.append("@Autoencoder(inputShape = {").append(ints(r, r.nextInt(5), -1, 40)).append("}")
                .append(r.nextBoolean() ? "" : ", range = DataRange." + pick(r, "UNIT", "SYMMETRIC", "UNBOUNDED")).append(")\n");
        if (r.nextBoolean()) {
            s.append("@Noise(gaussian = ").append(number(r)).append(", masking = ").append(number(r) / 4)
                    .append(", resample = Resample.").append(pick(r, "EVERY_BATCH", "EVERY_EPOCH", "ONCE")).append(")\n");
        }
        if (r.nextInt(4) == 0) {
            s.append("@Loss(LossFunction.").append(pick(r, "MSE", "MAE", "BINARY_CROSSENTROPY")).append(")\n");
        }
        if (r.nextInt(3) == 0) {
            s.append("@Training(epochs = ").append(r.nextInt(5) - 1).append(", batchSize = ").append(r.nextInt(100) - 1)
                    .append(", learningRate = ").append(pick(r, "1e-3", "0", "-1", "10", "1e-9")).append(")\n");
        }
        String kind = r.nextInt(12) == 0 ? "class" : "interface";
        s.append(nested ? "public " : "public ").append(kind).append(" ").append(nested ? "Model" : name).append(" {\n");
        int encoders = r.nextInt(10) == 0 ? r.nextInt(3) : 1;
        int decoders = r.nextInt(10) == 0 ? r.nextInt(3) : 1;
        for (int i = 0; i < encoders; i++) {
            section(s, r, "Encoder", "E" + i);
        }
        for (int i = 0; i < decoders; i++) {
            section(s, r, "Decoder", "D" + i);
        }
        s.append("}\n");
        if (nested) {
            s.append("}\n");
        }
        return s.toString();
    }

    /**
     * A valid model with random sizes, so that generated code of every shape gets compiled too;
     * its sides are at least 3, the default kernel's size.
     */
    private static String valid(String name, Random r) {
        int h = 3 + r.nextInt(19);
        int w = 3 + r.nextInt(19);
        int c = 1 + r.nextInt(3);
        boolean image = r.nextBoolean();
        String shape = image ? h + ", " + w + ", " + c : Integer.toString(h * w * c);
        String encoder = (image ? "@Conv2D(" + (1 + r.nextInt(8)) + ") void conv(); @MaxPool2D(" + (1 + r.nextInt(2))
                + ") void pool(); @Flatten void flat(); " : "") + "@Dense(" + (1 + r.nextInt(50)) + ") void hidden(); "
                + "@Dropout(0.1) void drop(); @Dense(units = " + (1 + r.nextInt(20)) + ", activation = Activation."
                + pick(r, "RELU", "TANH", "IDENTITY") + ") void code();";
        String decoder = "@BatchNormalization void norm(); @Dense(units = " + (h * w * c)
                + ", activation = Activation.SIGMOID) void out();" + (image ? " @Reshape({" + shape + "}) void image();" : "");
        return "package fuzz;\nimport dev.latent.dsl.*;\n@Autoencoder(inputShape = {" + shape + "})\n"
                + "@Noise(gaussian = " + Math.abs(number(r)) / 3 + ")\npublic interface " + name + " {\n"
                + "    @Encoder interface E { " + encoder + " }\n    @Decoder interface D { " + decoder + " }\n}\n";
    }

    /**
     * A valid sequence model with random sizes: every 1-D layer, batch normalisation and dropout on
     * a sequence, an LSTM that keeps its time steps or ends in its last one.
     */
    private static String validSequence(String name, Random r) {
        int pool = 1 + r.nextInt(3);
        int steps = pool * (2 + r.nextInt(10));
        int features = 1 + r.nextInt(4);
        boolean lastStepOnly = r.nextBoolean();
        String encoder = "@Conv1D(filters = " + (1 + r.nextInt(8)) + ", kernel = " + (1 + r.nextInt(5)) + ") void conv(); "
                + "@BatchNormalization void norm(); @MaxPool1D(" + pool + ") void pool(); @Dropout(0.1) void drop(); "
                + "@LSTM(units = " + (1 + r.nextInt(12)) + (lastStepOnly ? "" : ", returnSequences = true")
                + ", activation = Activation." + pick(r, "TANH", "RELU", "SIGMOID") + ") void code();";
        String values = "@Conv1D(filters = " + features + ", activation = Activation.SIGMOID) void values();";
        String decoder = lastStepOnly
                ? "@Dense(" + steps * features + ") void expand(); @Reshape({" + steps + ", " + features + "}) void steps(); "
                        + "@Dropout(rate = 0.2) void drop(); " + values
                : "@UpSampling1D(" + pool + ") void up(); @BatchNormalization void norm(); " + values;
        return "package fuzz;\nimport dev.latent.dsl.*;\n@Autoencoder(inputShape = {" + steps + ", " + features + "})\n"
                + "@Noise(gaussian = " + Math.abs(number(r)) / 3 + ")\npublic interface " + name + " {\n"
                + "    @Encoder interface E { " + encoder + " }\n    @Decoder interface D { " + decoder + " }\n}\n";
    }

    private static void section(StringBuilder s, Random r, String annotation, String name) {
        boolean isClass = r.nextInt(15) == 0;
        // A class section (an error) with abstract methods, so that the source stays legal Java.
        String role = r.nextInt(25) == 0 ? "@Encoder @Decoder" : "@" + annotation;
        String parent = isClass || r.nextInt(15) != 0 ? "" : pick(r, " extends java.io.Serializable", " extends Runnable");
        s.append("    ").append(role).append(isClass ? " abstract static class " : " interface ").append(name)
                .append(parent).append(" {\n");
        int layers = r.nextInt(6);
        for (int i = 0; i < layers; i++) {
            s.append("        ");
            int annotations = r.nextInt(12) == 0 ? 2 : r.nextInt(15) == 0 ? 0 : 1;
            List<String> kinds = new ArrayList<>(Arrays.asList(LAYERS));
            for (int a = 0; a < annotations; a++) {
                s.append(layer(r, kinds.remove(r.nextInt(kinds.size())))).append(' ');
            }
            boolean broken = r.nextInt(15) == 0;
            String withBody = isClass || r.nextInt(15) != 0 ? "" : pick(r, "default ", "static ", "private ");
            s.append(isClass ? "abstract " : withBody).append(broken ? "int" : "void").append(" m").append(i)
                    .append(broken ? "(int x)" : "()")
                    .append(withBody.isEmpty() ? ";\n" : broken ? " { return x; }\n" : " {}\n");
        }
        s.append("    }\n");
    }

    private static String layer(Random r, String kind) {
        return switch (kind) {
            case "Dense" -> "@Dense(" + sized(r, "units") + (r.nextBoolean() ? "" : ", activation = Activation."
                    + pick(r, "RELU", "SIGMOID", "TANH", "IDENTITY")) + ")";
            case "Conv2D", "Conv2DTranspose" -> "@" + kind + "(" + sized(r, "filters") + ", kernel = " + orHuge(r, r.nextInt(7) - 1)
                    + ", strides = " + orHuge(r, r.nextInt(4) - 1) + ", padding = Padding." + pick(r, "SAME", "VALID") + ")";
            case "MaxPool2D", "UpSampling2D" -> "@" + kind + (r.nextBoolean() ? "" : "(" + sized(r, "size") + ")");
            case "Reshape" -> "@Reshape({" + ints(r, r.nextInt(4), -1, 30) + "})";
            case "Dropout" -> "@Dropout(" + (r.nextBoolean() ? "rate = " : "") + number(r) / 2 + ")";
            case "BatchNormalization" -> r.nextBoolean() ? "@BatchNormalization"
                    : "@BatchNormalization(momentum = " + number(r) / 2 + ", epsilon = " + pick(r, "1e-5", "0", "-1e-3") + ")";
            case "Conv1D" -> "@Conv1D(" + sized(r, "filters") + ", kernel = " + orHuge(r, r.nextInt(7) - 1)
                    + ", strides = " + orHuge(r, r.nextInt(4) - 1) + ", padding = Padding." + pick(r, "SAME", "VALID") + ")";
            case "MaxPool1D" -> "@MaxPool1D" + (r.nextBoolean() ? "" : "(" + sized(r, "size") + ", padding = Padding."
                    + pick(r, "SAME", "VALID") + ")");
            case "UpSampling1D" -> "@UpSampling1D" + (r.nextBoolean() ? "" : "(" + sized(r, "size") + ")");
            case "LSTM" -> "@LSTM(" + sized(r, "units") + (r.nextBoolean() ? "" : ", returnSequences = true")
                    + (r.nextBoolean() ? "" : ", activation = Activation." + pick(r, "TANH", "SIGMOID", "IDENTITY")) + ")";
            default -> "@Flatten";
        };
    }

    /** The size as value, as the named attribute, as both, or as neither. */
    private static String sized(Random r, String named) {
        int size = r.nextInt(20) == 0 ? HUGE[r.nextInt(HUGE.length)] : r.nextInt(70) - 2;
        return switch (r.nextInt(6)) {
            case 0 -> named + " = " + size;
            case 1 -> "value = " + size + ", " + named + " = " + (size == Integer.MAX_VALUE ? size - 1 : size + 1);
            case 2 -> "value = " + size;
            default -> named + " = " + size;
        };
    }

    /** {@code value}, or now and then one of {@link #HUGE}. */
    private static int orHuge(Random r, int value) {
        return r.nextInt(30) == 0 ? HUGE[r.nextInt(HUGE.length)] : value;
    }

    private static String ints(Random r, int count, int min, int max) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append(i == 0 ? "" : ", ").append(orHuge(r, min + r.nextInt(max - min + 1)));
        }
        return s.toString();
    }

    private static double number(Random r) {
        return Math.round((r.nextDouble() * 3 - 0.5) * 100) / 100.0;
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static List<File> testClassPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(path.split(File.pathSeparator)).map(File::new).toList();
    }
}
