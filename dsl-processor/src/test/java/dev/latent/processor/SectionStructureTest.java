package dev.latent.processor;

import static dev.latent.processor.Compilations.model;

import dev.latent.processor.Compilations.Compiler;
import javax.tools.JavaFileObject;

/**
 * Layer methods that Latent would have ignored or misread: methods with bodies, an interface with
 * both roles, layers inherited from another interface. Each compiled before, silently dropping or
 * doubling layers. Under javac and ECJ.
 *
 * <p>The cases are deliberately alike, one per message, each with its model and its expected
 * text and line side by side (as MapStruct's tests are): a table would hide which source line
 * each message points at.
 */
class SectionStructureTest {

    @BothCompilers
    void aDefaultLayerMethodIsAnError(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(32) default void code() {}", "    @Dense(784) void pixels();");
        Outcome compilation = compiler.compile(source).assertFailed();
        compilation.assertError("[latent:layer-body] Model.Encode.code: a layer method declares a layer and has no "
                + "body; found a default method with one, whose code Latent never runs. Fix: remove 'default' and the "
                + "body, leaving 'void code();'.", source, 6);
        compilation.assertErrorCount(1);
        compilation.assertNothingGenerated();
    }

    /** A static layer method was skipped: the model compiled without it. */
    @BothCompilers
    void aStaticLayerMethodIsAnError(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(128) static void hidden() {}\n    @Dense(32) void code();", "    @Dense(784) void pixels();");
        compiler.compile(source).assertFailed().assertError("[latent:layer-body] Model.Encode.hidden: a layer method "
                + "declares a layer and has no body; found a static method with one, which Latent would leave out of "
                + "the network. Fix: remove 'static' and the body, leaving 'void hidden();'.", source, 6);
    }

    @BothCompilers
    void aPrivateLayerMethodIsAnError(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})",
                "    @Dense(32) void code();", "    @Dense(128) private void hidden() {}\n    @Dense(784) void pixels();");
        compiler.compile(source).assertFailed().assertError("[latent:layer-body] Model.Decode.hidden: a layer method "
                + "declares a layer and has no body; found a private method with one", source, 9);
    }

    /** Static and private helpers without a layer annotation stay allowed, as before. */
    @BothCompilers
    void helpersWithoutALayerAnnotationAreLeftAlone(Compiler compiler) {
        JavaFileObject source = model("@Autoencoder(inputShape = {784})\n"
                        + "@SuppressWarnings({\"latent:narrow-code\", \"latent:shallow-decoder\", \"latent:noise-too-weak\"})",
                "    @Dense(32) void code();\n    static int width() { return 32; }",
                "    @Dense(units = 784, activation = Activation.SIGMOID) void pixels();\n"
                        + "    private int twice() { return 2; }");
        compiler.compile(source).assertSucceeded();
    }

    /** One interface with both roles was read twice: as the encoder and as the decoder. */
    @BothCompilers
    void oneInterfaceWithBothRolesIsAnError(Compiler compiler) {
        JavaFileObject source = Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public interface Model {",
                "    @Encoder",
                "    @Decoder",
                "    interface Layers { @Dense(784) void pixels(); }",
                "}");
        Outcome compilation = compiler.compile(source).assertFailed();
        compilation.assertError("[latent:two-roles] Model.Layers: one interface is annotated both @Encoder and @Decoder; "
                + "expected two nested interfaces, one per role. Fix: keep @Encoder on Layers and move the decoder's layers "
                + "into their own '@Decoder interface Decode { ... }'.", source, 6);
        compilation.assertErrorCount(1);
        compilation.assertNothingGenerated();
    }

    /** With both roles on one interface and a second decoder, the error is the roles, not a duplicate decoder. */
    @BothCompilers
    void bothRolesBesideARealDecoderIsOneError(Compiler compiler) {
        JavaFileObject source = Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public interface Model {",
                "    @Encoder @Decoder interface Layers { @Dense(32) void code(); }",
                "    @Decoder interface Decode { @Dense(784) void pixels(); }",
                "}");
        Outcome compilation = compiler.compile(source).assertFailed();
        compilation.assertError("[latent:two-roles] Model.Layers", source, 5);
        compilation.assertErrorCount(1);
    }

    /** A decoder extending the encoder compiled; the encoder's layers were silently not part of the decoder. */
    @BothCompilers
    void aDecoderInheritingTheEncodersLayersIsAnError(Compiler compiler) {
        JavaFileObject source = Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public interface Model {",
                "    @Encoder interface Encode { @Dense(128) void hidden(); @Dense(32) void code(); }",
                "    @Decoder interface Decode extends Encode { @Dense(784) void pixels(); }",
                "}");
        Outcome compilation = compiler.compile(source).assertFailed();
        compilation.assertError("[latent:inherited-layers] Model.Decode: the decoder inherits hidden(), code() from "
                + "Model.Encode; Latent reads only the layer methods a section declares itself and would ignore these. "
                + "Fix: declare the decoder's layers in Decode and remove 'extends Encode'.", source, 6);
        compilation.assertErrorCount(1);
        compilation.assertNothingGenerated();
    }

    /** An encoder whose layers all come from elsewhere: the inherited layers, not an empty encoder, is the error. */
    @BothCompilers
    void anEncoderWithOnlyInheritedLayersIsOneError(Compiler compiler) {
        JavaFileObject base = Compilations.source("p.Base",
                "package p;",
                "public interface Base {",
                "    @dev.latent.dsl.Dense(32) void code();",
                "    default void helper() {}",
                "}");
        JavaFileObject source = Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "public interface Model {",
                "    @Encoder interface Encode extends Base {}",
                "    @Decoder interface Decode { @Dense(784) void pixels(); }",
                "}");
        Outcome compilation = compiler.compile(source, base).assertFailed();
        compilation.assertError("[latent:inherited-layers] Model.Encode: the encoder inherits code(), helper() from Base",
                source, 5);
        compilation.assertErrorCount(1);
    }

    /** A super-interface without methods adds no layers: nothing to report. */
    @BothCompilers
    void aMarkerSuperInterfaceIsAllowed(Compiler compiler) {
        JavaFileObject source = Compilations.source("p.Model",
                "package p;",
                "import dev.latent.dsl.*;",
                "@Autoencoder(inputShape = {784})",
                "@SuppressWarnings({\"latent:narrow-code\", \"latent:shallow-decoder\", \"latent:noise-too-weak\"})",
                "public interface Model {",
                "    @Encoder interface Encode extends java.io.Serializable { @Dense(32) void code(); }",
                "    @Decoder interface Decode { @Dense(units = 784, activation = Activation.SIGMOID) void pixels(); }",
                "}");
        compiler.compile(source).assertSucceeded();
    }
}
