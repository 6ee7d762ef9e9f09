package dev.latent.processor.generate;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.latent.dsl.Activation;
import dev.latent.dsl.Padding;
import dev.latent.processor.shape.InferredLayer;
import dev.latent.processor.shape.InferredModel;
import dev.latent.processor.model.Dims;
import dev.latent.processor.model.Layer;
import dev.latent.processor.model.ModelSpec;
import dev.latent.processor.model.Section;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code <Name>Network}: the DL4J {@code ComputationGraph} of a model, built with the
 * same builder calls a person would write by hand, one per declared layer, named after its method.
 */
public final class NetworkWriter {
    private static final String INPUT = "input";
    private static final String CODE = "code";
    private static final String LOSS = "loss";
    /** The vertex that flattens a sequence output for the loss, which compares flat samples. */
    private static final String LOSS_INPUT = "loss.input";

    private NetworkWriter() {}

    /** The source file of the network class. */
    public static JavaFile write(ModelSpec model, InferredModel shapes, String processorName) {
        ClassName name = Names.network(model);
        Dims code = shapes.code();
        TypeSpec type = TypeSpec.classBuilder(name)
                .addJavadoc(javadoc(model, shapes))
                .addAnnotation(generated(model, processorName))
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(Types.AUTOENCODER_NETWORK)
                .addField(constant(String.class, "MODEL_NAME", CodeBlock.of("$S", model.canonicalName()),
                        "The model interface this network was generated from."))
                .addField(constant(Types.SHAPE, "INPUT_SHAPE", shape(shapes.input()),
                        "Shape of one input sample, in Keras order."))
                .addField(constant(Types.SHAPE, "CODE_SHAPE", shape(code), "Shape of the latent code of one sample."))
                .addField(constant(TypeName.INT, "CODE_SIZE", CodeBlock.of("$L", code.count()),
                        "Values in the latent code of one sample."))
                .addField(constant(TypeName.LONG, "PARAMETER_COUNT", CodeBlock.of("$L", longLiteral(shapes.parameterCount())),
                        "Parameters of the network, learned or not, as Keras counts them."))
                .addField(constant(Types.DATA_RANGE, "RANGE", CodeBlock.of("$T.$L", Types.DATA_RANGE, model.range()),
                        "What the data is: noise is clipped to this range."))
                .addField(constant(Types.TRAINING_SETTINGS, "TRAINING", Settings.training(model.training()),
                        "The declared training settings."))
                .addField(constant(Types.NOISE_SETTINGS, "NOISE", Settings.noise(model.noise()), "The declared noise."))
                .addField(constant(Types.LOSS_SETTINGS, "LOSS", Settings.loss(model.loss()), "The declared loss."))
                .addField(layerTable(shapes))
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addJavadoc("The network of {@link $T}; the configuration is built when asked for.\n", Names.model(model))
                        .build())
                .addMethod(create(name))
                .addMethod(getter("modelName", String.class, "MODEL_NAME"))
                .addMethod(getter("inputShape", Types.SHAPE, "INPUT_SHAPE"))
                .addMethod(getter("codeShape", Types.SHAPE, "CODE_SHAPE"))
                .addMethod(getter("range", Types.DATA_RANGE, "RANGE"))
                .addMethod(getter("parameterCount", TypeName.LONG, "PARAMETER_COUNT"))
                .addMethod(getter("layers", ParameterizedTypeName.get(Types.LIST, Types.LAYER_INFO), "LAYERS"))
                .addMethod(getter("training", Types.TRAINING_SETTINGS, "TRAINING"))
                .addMethod(getter("noise", Types.NOISE_SETTINGS, "NOISE"))
                .addMethod(getter("loss", Types.LOSS_SETTINGS, "LOSS"))
                .addMethod(configuration(shapes))
                .addMethod(section(model, shapes, Section.ENCODER))
                .addMethod(section(model, shapes, Section.DECODER))
                .build();
        return JavaFile.builder(model.packageName(), type).skipJavaLangImports(true).indent("    ").build();
    }

    static AnnotationSpec generated(ModelSpec model, String processorName) {
        return AnnotationSpec.builder(Types.GENERATED)
                .addMember("value", "$S", processorName)
                .addMember("comments", "$S", "from " + model.canonicalName())
                .build();
    }

    private static CodeBlock javadoc(ModelSpec model, InferredModel shapes) {
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("The DL4J network of {@link $T}, generated by Latent from its annotations.\n\n", Names.model(model))
                .add("<pre>\n");
        for (InferredLayer layer : shapes.layers()) {
            doc.add("$L\n", String.format(Locale.ROOT, "%-28s %-20s %,12d",
                    layer.layer().networkName() + " (" + layer.layer().kind() + ")", layer.output(), layer.parameters()));
        }
        doc.add("$L\n", String.format(Locale.ROOT, "%-49s %,12d", "Total params", shapes.parameterCount()));
        return doc.add("</pre>\n").build();
    }

    private static FieldSpec constant(Object type, String name, CodeBlock value, String doc) {
        TypeName typeName = type instanceof TypeName t ? t : TypeName.get((Class<?>) type);
        return FieldSpec.builder(typeName, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(doc + "\n")
                .initializer(value)
                .build();
    }

    private static FieldSpec layerTable(InferredModel shapes) {
        CodeBlock.Builder rows = CodeBlock.builder().add("$T.of(\n", Types.LIST).indent().indent();
        List<InferredLayer> layers = shapes.layers();
        for (int i = 0; i < layers.size(); i++) {
            InferredLayer l = layers.get(i);
            rows.add("new $T($S, $S, $L, $L)$L", Types.LAYER_INFO, l.layer().networkName(), l.layer().kind(),
                    shape(l.output()), longLiteral(l.parameters()), i < layers.size() - 1 ? ",\n" : ")");
        }
        rows.unindent().unindent();
        return FieldSpec.builder(ParameterizedTypeName.get(Types.LIST, Types.LAYER_INFO), "LAYERS",
                        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer(rows.build())
                .build();
    }

    private static MethodSpec create(ClassName name) {
        return MethodSpec.methodBuilder("create")
                .addJavadoc("The autoencoder with the declared settings, its weights initialised from the declared seed.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(Types.COMPUTATION_GRAPH)
                .addStatement("$T graph = new $T(new $T().configuration($T.AUTOENCODER, TRAINING, LOSS))",
                        Types.COMPUTATION_GRAPH, Types.COMPUTATION_GRAPH, name, Types.GRAPH_PART)
                .addStatement("graph.init()")
                .addStatement("return graph")
                .build();
    }

    private static MethodSpec getter(String method, Object type, String constant) {
        TypeName typeName = type instanceof TypeName t ? t : TypeName.get((Class<?>) type);
        return MethodSpec.methodBuilder(method)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(typeName)
                .addStatement("return $L", constant)
                .build();
    }

    private static MethodSpec configuration(InferredModel shapes) {
        List<InferredLayer> encoder = shapes.layers(Section.ENCODER);
        List<InferredLayer> decoder = shapes.layers(Section.DECODER);
        String codeVertex = last(encoder).layer().networkName();
        InferredLayer output = last(decoder);
        String outputVertex = output.layer().networkName();
        CodeBlock lossInput = output.output().isImage()
                ? CodeBlock.of("new $T($L, $L, $L), ", Types.CNN_TO_FEED_FORWARD, output.output().height(),
                        output.output().width(), output.output().channels())
                : CodeBlock.of("");
        CodeBlock lossStatements;
        if (output.output().isSequence()) {
            // No DL4J preprocessor flattens a whole sequence per sample (RnnToFeedForward makes a row
            // per time step), so a reshape of the engine's [n, F, T] does.
            lossStatements = CodeBlock.builder()
                    .addStatement("graph.addVertex($S, new $T(-1, $L), $S)", LOSS_INPUT, Types.RESHAPE_VERTEX,
                            output.output().count(), outputVertex)
                    .addStatement("graph.addLayer($S, $T.lossLayer(loss), $S)", LOSS, Types.GRAPH_CONFIGS, LOSS_INPUT)
                    .build();
        } else {
            lossStatements = CodeBlock.of("graph.addLayer($S, $T.lossLayer(loss), $L$S);\n", LOSS, Types.GRAPH_CONFIGS,
                    lossInput, outputVertex);
        }
        return MethodSpec.methodBuilder("configuration")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(Types.GRAPH_CONFIGURATION)
                .addParameter(Types.GRAPH_PART, "part")
                .addParameter(Types.TRAINING_SETTINGS, "training")
                .addParameter(Types.LOSS_SETTINGS, "loss")
                .addStatement("$T graph = $T.builder(training)", Types.GRAPH_BUILDER, Types.GRAPH_CONFIGS)
                .beginControlFlow("switch (part)")
                .beginControlFlow("case AUTOENCODER ->")
                .addStatement("graph.addInputs($S).setInputTypes($L)", INPUT, inputType(shapes.input()))
                .addStatement("addEncoder(graph, $S)", INPUT)
                .addStatement("addDecoder(graph, $S)", codeVertex)
                .addComment("The loss compares the reconstruction, flattened, with the clean input.")
                .addCode(lossStatements)
                .addStatement("graph.setOutputs($S)", LOSS)
                .endControlFlow()
                .beginControlFlow("case ENCODER ->")
                .addStatement("graph.addInputs($S).setInputTypes($L)", INPUT, inputType(shapes.input()))
                .addStatement("addEncoder(graph, $S)", INPUT)
                .addStatement("graph.setOutputs($S)", codeVertex)
                .endControlFlow()
                .beginControlFlow("case DECODER ->")
                .addStatement("graph.addInputs($S).setInputTypes($L)", CODE, inputType(shapes.code()))
                .addStatement("addDecoder(graph, $S)", CODE)
                .addStatement("graph.setOutputs($S)", outputVertex)
                .endControlFlow()
                .endControlFlow()
                .addStatement("return graph.build()")
                .build();
    }

    private static MethodSpec section(ModelSpec model, InferredModel shapes, Section section) {
        List<InferredLayer> layers = shapes.layers(section);
        String name = section == Section.ENCODER ? "addEncoder" : "addDecoder";
        MethodSpec.Builder method = MethodSpec.methodBuilder(name)
                .addJavadoc("The $L of {@link $T}: $L to $L.\n", section.prefix(), Names.model(model),
                        layers.get(0).input(), last(layers).output())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(Types.GRAPH_BUILDER, "graph")
                .addParameter(String.class, "input");
        CodeBlock previous = CodeBlock.of("input");
        for (InferredLayer layer : layers) {
            method.addCode(LayerCode.of(layer, previous));
            previous = CodeBlock.of("$S", layer.layer().networkName());
        }
        return method.build();
    }

    static CodeBlock inputType(Dims dims) {
        if (dims.isSequence()) {
            return CodeBlock.of("$T.recurrent($L, $L)", Types.INPUT_TYPE, dims.features(), dims.steps());
        }
        return dims.isImage()
                ? CodeBlock.of("$T.convolutional($L, $L, $L)", Types.INPUT_TYPE, dims.height(), dims.width(), dims.channels())
                : CodeBlock.of("$T.feedForward($L)", Types.INPUT_TYPE, dims.get(0));
    }

    static CodeBlock shape(Dims dims) {
        StringBuilder args = new StringBuilder();
        for (int i = 0; i < dims.rank(); i++) {
            args.append(i == 0 ? "" : ", ").append(dims.get(i));
        }
        return CodeBlock.of("$T.of($L)", Types.SHAPE, args);
    }

    static String longLiteral(long value) {
        return value >= 1_000 ? String.format(Locale.ROOT, "%,dL", value).replace(',', '_') : value + "L";
    }

    private static InferredLayer last(List<InferredLayer> layers) {
        return layers.get(layers.size() - 1);
    }

    /** The DL4J builder call of one layer. */
    static final class LayerCode {
        private LayerCode() {}

        static CodeBlock of(InferredLayer inferred, CodeBlock input) {
            Layer layer = inferred.layer();
            String name = layer.networkName();
            Dims in = inferred.input();
            Dims out = inferred.output();
            if (layer instanceof Layer.Dense d) {
                return addLayer(name, input, CodeBlock.builder()
                        .add("new $T.Builder()\n", Types.DENSE_LAYER).indent().indent()
                        .add(".nOut($L)\n", d.units())
                        .add(".activation($T.$L)\n", Types.ACTIVATION, activation(d.activation()))
                        .add(".weightInit($T.glorotUniform($L, $L))\n", Types.GRAPH_CONFIGS, inferred.fanIn(), inferred.fanOut())
                        .add(".build()").unindent().unindent().build());
            }
            if (layer instanceof Layer.Conv2D c) {
                    CodeBlock.Builder b = CodeBlock.builder();
                    if (c.transposed()) {
                        b.add("new $T.Builder()\n", Types.DECONVOLUTION_2D).indent().indent()
                                .add(".kernelSize($L, $L)\n", c.kernel(), c.kernel());
                    } else {
                        b.add("new $T.Builder($L, $L)\n", Types.CONVOLUTION_LAYER, c.kernel(), c.kernel()).indent().indent();
                    }
                    b.add(".stride($L, $L)\n", c.strides(), c.strides())
                            .add(".nOut($L)\n", c.filters())
                            .add(".convolutionMode($T.$L)\n", Types.CONVOLUTION_MODE, mode(c.padding()))
                            .add(".activation($T.$L)\n", Types.ACTIVATION, activation(c.activation()))
                            .add(".weightInit($T.glorotUniform($L, $L))\n", Types.GRAPH_CONFIGS, inferred.fanIn(), inferred.fanOut())
                            .add(".build()").unindent().unindent();
                    return addLayer(name, input, b.build());
                }
            if (layer instanceof Layer.Conv1D c) {
                return addLayer(name, input, CodeBlock.builder()
                        .add("new $T.Builder()\n", Types.CONVOLUTION_1D).indent().indent()
                        .add(".kernelSize($L)\n", c.kernel())
                        .add(".stride($L)\n", c.strides())
                        .add(".nOut($L)\n", c.filters())
                        .add(".convolutionMode($T.$L)\n", Types.CONVOLUTION_MODE, mode(c.padding()))
                        .add(".activation($T.$L)\n", Types.ACTIVATION, activation(c.activation()))
                        .add(".weightInit($T.glorotUniform($L, $L))\n", Types.GRAPH_CONFIGS, inferred.fanIn(), inferred.fanOut())
                        .add(".build()").unindent().unindent().build());
            }
            if (layer instanceof Layer.MaxPool1D p) {
                return addLayer(name, input, CodeBlock.builder()
                        .add("new $T.Builder($T.MAX)\n", Types.SUBSAMPLING_1D, Types.POOLING_TYPE).indent().indent()
                        .add(".kernelSize($L)\n", p.size())
                        .add(".stride($L)\n", p.effectiveStrides())
                        .add(".convolutionMode($T.$L)\n", Types.CONVOLUTION_MODE, mode(p.padding()))
                        .add(".build()").unindent().unindent().build());
            }
            if (layer instanceof Layer.UpSampling1D u) {
                return addLayer(name, input, CodeBlock.of("new $T.Builder($L).build()", Types.UPSAMPLING_1D, u.size()));
            }
            if (layer instanceof Layer.Lstm l) {
                CodeBlock lstm = CodeBlock.builder()
                        .add("new $T.Builder()\n", Types.LSTM).indent().indent()
                        .add(".nOut($L)\n", l.units())
                        .add(".activation($T.$L)\n", Types.ACTIVATION, activation(l.activation()))
                        .add(".weightInit($T.glorotUniform($L, $L))\n", Types.GRAPH_CONFIGS, inferred.fanIn(), inferred.fanOut())
                        .add(".build()").unindent().unindent().build();
                return addLayer(name, input, l.returnSequences() ? lstm
                        : CodeBlock.builder().add("// Keras' returnSequences = false: only the last time step's output.\n")
                                .add("new $T($L)", Types.LAST_TIME_STEP, lstm).build());
            }
            if (layer instanceof Layer.MaxPool2D p) {
                return addLayer(name, input, CodeBlock.builder()
                        .add("new $T.Builder($T.MAX)\n", Types.SUBSAMPLING_LAYER, Types.POOLING_TYPE).indent().indent()
                        .add(".kernelSize($L, $L)\n", p.size(), p.size())
                        .add(".stride($L, $L)\n", p.effectiveStrides(), p.effectiveStrides())
                        .add(".convolutionMode($T.$L)\n", Types.CONVOLUTION_MODE, mode(p.padding()))
                        .add(".build()").unindent().unindent().build());
            }
            if (layer instanceof Layer.UpSampling2D u) {
                return addLayer(name, input,
                        CodeBlock.of("new $T.Builder($L).build()", Types.UPSAMPLING_2D, u.size()));
            }
            if (layer instanceof Layer.Dropout d) {
                return CodeBlock.builder()
                        .add("// DL4J's dropout takes the probability to keep an element: 1 - rate.\n")
                        .add(addLayer(name, input, CodeBlock.of("new $T.Builder(1.0 - $L).build()", Types.DROPOUT_LAYER, d.rate())))
                        .build();
            }
            if (layer instanceof Layer.BatchNormalization b) {
                return addLayer(name, input, CodeBlock.builder()
                        .add("new $T.Builder()\n", Types.BATCH_NORMALIZATION).indent().indent()
                        .add(".decay($L)\n", b.momentum())
                        .add(".eps($L)\n", b.epsilon())
                        .add(".build()").unindent().unindent().build());
            }
            if (layer instanceof Layer.Flatten f && in.isSequence()) {
                return addVertex(name, input, CodeBlock.of("new $T(-1, $L)", Types.RESHAPE_VERTEX, in.count()));
            }
            if (layer instanceof Layer.Flatten f) {
                return addVertex(name, input, CodeBlock.of("new $T(new $T($L, $L, $L))",
                        Types.PREPROCESSOR_VERTEX, Types.CNN_TO_FEED_FORWARD, in.height(), in.width(), in.channels()));
            }
            if (layer instanceof Layer.Reshape r) {
                return addVertex(name, input, reshape(in, out));
            }
            throw new IllegalStateException("no DL4J layer for " + layer.kind());
        }

        private static CodeBlock reshape(Dims in, Dims out) {
            if (out.isSequence()) {
                // A plain reshape of the engine's layout ([n, C, H, W], [n, F, T] or [n, N]), as @Flatten does;
                // DL4J's own ReshapeVertex would lose the sequence's length.
                return CodeBlock.of("new $T($L, $L)", Types.SEQUENCE_RESHAPE_VERTEX, out.features(), out.steps());
            }
            if (in.isSequence()) {
                return CodeBlock.of("new $T(-1, $L)", Types.RESHAPE_VERTEX, engineDims(out));
            }
            if (in.isImage() && out.isImage()) {
                return CodeBlock.of("new $T(new $T(new $T($L, $L, $L), new $T($L, $L, $L)))", Types.PREPROCESSOR_VERTEX,
                        Types.COMPOSABLE_PREPROCESSOR, Types.CNN_TO_FEED_FORWARD, in.height(), in.width(), in.channels(),
                        Types.FEED_FORWARD_TO_CNN, out.height(), out.width(), out.channels());
            }
            if (out.isImage()) {
                return CodeBlock.of("new $T(new $T($L, $L, $L))", Types.PREPROCESSOR_VERTEX, Types.FEED_FORWARD_TO_CNN,
                        out.height(), out.width(), out.channels());
            }
            if (in.isImage()) {
                return CodeBlock.of("new $T(new $T($L, $L, $L))", Types.PREPROCESSOR_VERTEX, Types.CNN_TO_FEED_FORWARD,
                        in.height(), in.width(), in.channels());
            }
            return CodeBlock.of("new $T(-1, $L)", Types.RESHAPE_VERTEX, out.get(0));
        }

        private static String engineDims(Dims dims) {
            if (dims.isSequence()) {
                return dims.features() + ", " + dims.steps();
            }
            return dims.isImage() ? dims.channels() + ", " + dims.height() + ", " + dims.width() : String.valueOf(dims.get(0));
        }

        private static CodeBlock addLayer(String name, CodeBlock input, CodeBlock layer) {
            return CodeBlock.builder().add("graph.addLayer($S,\n", name).indent().indent()
                    .add("$L,\n", layer).add("$L);\n", input).unindent().unindent().build();
        }

        private static CodeBlock addVertex(String name, CodeBlock input, CodeBlock vertex) {
            return CodeBlock.of("graph.addVertex($S, $L, $L);\n", name, vertex, input);
        }

        private static String mode(Padding padding) {
            return padding == Padding.SAME ? "Same" : "Truncate";
        }

        private static String activation(Activation activation) {
            return switch (activation) {
                case RELU -> "RELU";
                case LEAKY_RELU -> "LEAKYRELU";
                case ELU -> "ELU";
                case SIGMOID -> "SIGMOID";
                case TANH -> "TANH";
                case SOFTPLUS -> "SOFTPLUS";
                case IDENTITY -> "IDENTITY";
            };
        }
    }
}
