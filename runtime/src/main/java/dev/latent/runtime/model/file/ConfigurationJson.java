package dev.latent.runtime.model.file;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.shade.jackson.core.JsonFactory;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.JsonToken;

/**
 * A DL4J graph configuration read from JSON that a stranger may have written. DL4J's JSON names
 * classes ({@code "@class": "org.deeplearning4j.nn.conf.layers.DenseLayer"}), and its Jackson
 * loads and initialises whatever class a type name gives, before checking it: so every class
 * the text names is checked first, on the text alone, and DL4J parses only text that names
 * nothing else.
 *
 * <p>A class may be named when it sits in one of DL4J's or ND4J's configuration packages (layers,
 * vertices, preprocessors, activations, losses, updaters, regularization, schedules, weight
 * initialisations) or
 * is Latent's own vertex, and is a concrete subclass of one of their base types; a custom loss
 * (a {@code "lossFn"} value) may be any concrete {@code ILossFunction}. Classes are looked up
 * without being initialised, so checking one runs none of its code. Every other string that is
 * the name of a loadable class is refused too, whatever field holds it: Jackson also reads type
 * names from arrays ({@code ["class", {...}]}).
 */
final class ConfigurationJson {
    /** Deeper than any DL4J configuration nests; deeper text could exhaust the stack of DL4J's parser. */
    static final int MAX_DEPTH = 64;

    private static final List<String> PACKAGES = List.of(
            "org.deeplearning4j.nn.conf.",
            "org.deeplearning4j.nn.weights.",
            "org.nd4j.linalg.activations.impl.",
            "org.nd4j.linalg.lossfunctions.impl.",
            "org.nd4j.linalg.learning.config.",
            "org.nd4j.linalg.learning.regularization.",
            "org.nd4j.linalg.schedule.");
    private static final List<String> LATENT_CLASSES = List.of("dev.latent.runtime.engine.SequenceReshapeVertex");
    private static final List<String> BASE_TYPES = List.of(
            "org.deeplearning4j.nn.conf.layers.Layer",
            "org.deeplearning4j.nn.conf.graph.GraphVertex",
            "org.deeplearning4j.nn.conf.InputPreProcessor",
            "org.deeplearning4j.nn.conf.inputs.InputType",
            "org.deeplearning4j.nn.conf.dropout.IDropout",
            "org.deeplearning4j.nn.conf.distribution.Distribution",
            "org.deeplearning4j.nn.conf.weightnoise.IWeightNoise",
            "org.deeplearning4j.nn.conf.stepfunctions.StepFunction",
            "org.deeplearning4j.nn.api.layers.LayerConstraint",
            "org.deeplearning4j.nn.weights.IWeightInit",
            "org.nd4j.linalg.activations.IActivation",
            "org.nd4j.linalg.lossfunctions.ILossFunction",
            "org.nd4j.linalg.learning.config.IUpdater",
            "org.nd4j.linalg.learning.regularization.Regularization",
            "org.nd4j.linalg.schedule.ISchedule");
    private static final String LOSS = "org.nd4j.linalg.lossfunctions.ILossFunction";
    private static final String LOSS_FIELD = "lossFn";
    private static final Pattern QUALIFIED_NAME =
            Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)+");
    private static final JsonFactory FACTORY = new JsonFactory();

    private final Map<String, Boolean> loadable = new HashMap<>();

    private ConfigurationJson() {}

    /**
     * The configuration {@code json} describes.
     *
     * @throws IllegalArgumentException naming the entry and what is wrong, if the text names a
     *     class outside the allow-list, nests too deep, is not JSON, or is not a graph configuration
     */
    static ComputationGraphConfiguration parse(String json, String entry) {
        new ConfigurationJson().check(json, entry);
        ComputationGraphConfiguration configuration;
        try {
            configuration = ComputationGraphConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            // DL4J wraps Jackson's exception, whose own message says what it could not read.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalArgumentException("cannot restore the network from " + entry + ": "
                    + firstLine(root).replaceFirst("^([a-z][\\w$]*\\.)+[A-Z][\\w$]*: ", ""), e);
        }
        if (configuration == null || configuration.getVertices() == null || configuration.getNetworkInputs() == null
                || configuration.getNetworkOutputs() == null) {
            throw new IllegalArgumentException(entry + " is not a DL4J graph configuration (no vertices, inputs or outputs)");
        }
        return configuration;
    }

    private void check(String json, String entry) {
        Deque<String> fields = new ArrayDeque<>();
        String field = null;
        try (JsonParser parser = FACTORY.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        fields.push(field == null ? "" : field);
                        if (fields.size() > MAX_DEPTH) {
                            throw new IllegalArgumentException(entry + " nests deeper than " + MAX_DEPTH
                                    + " levels, which no DL4J configuration does");
                        }
                        field = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        fields.pop();
                        field = null;
                    }
                    case FIELD_NAME -> {
                        field = parser.getCurrentName();
                        if (field.startsWith("@") && !field.equals("@class")) {
                            throw new IllegalArgumentException(entry + " holds the field '" + printable(field)
                                    + "'; DL4J's configurations name types with @class alone");
                        }
                        refuseLoadableClass(field, entry);
                    }
                    case VALUE_STRING -> {
                        String value = parser.getText();
                        if ("@class".equals(field)) {
                            String holder = fields.isEmpty() ? "" : fields.peek();
                            if (!allowedType(value, holder)) {
                                throw new IllegalArgumentException(entry + " names the class " + printable(value)
                                        + ", which is not one a model file may name (DL4J's layers, vertices, "
                                        + "activations, losses, updaters, regularization and schedules, a custom loss, Latent's vertex)");
                            }
                        } else {
                            refuseLoadableClass(value, entry);
                        }
                        field = null;
                    }
                    default -> field = null;
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(entry + " is not valid JSON (" + firstLine(e) + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(entry + " cannot be read as JSON (" + firstLine(e) + ")", e);
        }
    }

    // Jackson reads a type name wherever it expects a typed value; any string naming a class must pass.
    private void refuseLoadableClass(String text, String entry) {
        if (isQualifiedName(text) && loadable(text) && !allowedType(text, "")) {
            throw new IllegalArgumentException(entry + " names the class " + text
                    + ", which is not one a model file may name");
        }
    }

    private boolean allowedType(String name, String holder) {
        if (!isQualifiedName(name)) {
            return false;
        }
        boolean named = LATENT_CLASSES.contains(name) || PACKAGES.stream().anyMatch(name::startsWith);
        Class<?> type = find(name);
        if (type == null || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            return false;
        }
        if (named) {
            return BASE_TYPES.stream().map(this::find).anyMatch(base -> base != null && base.isAssignableFrom(type));
        }
        Class<?> loss = find(LOSS);
        return LOSS_FIELD.equals(holder) && loss != null && loss.isAssignableFrom(type);
    }

    private boolean loadable(String name) {
        return loadable.computeIfAbsent(name, n -> find(n) != null);
    }

    // Loaded, never initialised: no static initialiser of a named class runs.
    private Class<?> find(String name) {
        try {
            return Class.forName(name, false, ConfigurationJson.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static boolean isQualifiedName(String text) {
        return text.length() <= 512 && QUALIFIED_NAME.matcher(text).matches();
    }

    private static String printable(String s) {
        String cut = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? "no detail" : e.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).replaceAll("\\p{Cntrl}", "?");
    }
}
