package dev.latent.processor.check;

import java.util.Locale;

/**
 * Every diagnostic the processor can emit, in one place: its stable code, its kind and its text.
 * Each text names what is wrong, gives the numbers expected and found, and ends with a fix.
 * The first argument of every format is where the problem is, e.g. {@code ConvDenoiser.Decode.up1}.
 */
public enum Message {
    // A catalogue: the entries deliberately share one shape (code, kind, format), one entry a message.

    // The model's structure.
    NOT_AN_INTERFACE("not-an-interface", Kind.ERROR,
            "%s: @Autoencoder must be on an interface, found a %s. Fix: declare it as 'interface %s'."),
    SECTION_NOT_INTERFACE("section-not-interface", Kind.ERROR,
            "%s: @%s must be on a nested interface, found a %s. Fix: declare it as a nested interface."),
    MISSING_SECTION("missing-section", Kind.ERROR,
            "%s: no @%s interface found; expected exactly one nested interface annotated @%s listing the %s's layers."),
    DUPLICATE_SECTION("duplicate-section", Kind.ERROR,
            "%s: a second @%s interface; expected exactly one, found %s and %s. Fix: merge their layers into one."),
    EMPTY_SECTION("empty-section", Kind.ERROR,
            "%s: the %s declares no layers; expected at least one layer method such as '@Dense(64) void code();'."),
    LAYER_SIGNATURE("layer-signature", Kind.ERROR,
            "%s: a layer method must take no arguments and return void, found '%s'. Fix: declare it as 'void %s();'."),
    NOT_A_LAYER("not-a-layer", Kind.ERROR,
            "%s: method has no layer annotation; every method of the %s is a layer. Expected one of @Dense, @Conv2D, "
                    + "@Conv2DTranspose, @MaxPool2D, @UpSampling2D, @Conv1D, @MaxPool1D, @UpSampling1D, @LSTM, @Flatten, @Reshape, "
                    + "@Dropout, @BatchNormalization."),
    LAYER_BODY("layer-body", Kind.ERROR,
            "%s: a layer method declares a layer and has no body; found a %s method with one, %s. Fix: remove '%s' and "
                    + "the body, leaving 'void %s();'."),
    TWO_ROLES("two-roles", Kind.ERROR,
            "%s: one interface is annotated both @Encoder and @Decoder; expected two nested interfaces, one per role. "
                    + "Fix: keep @Encoder on %s and move the decoder's layers into their own '@Decoder interface Decode { ... }'."),
    INHERITED_LAYERS("inherited-layers", Kind.ERROR,
            "%s: the %s inherits %s from %s; Latent reads only the layer methods a section declares itself and would "
                    + "ignore these. Fix: declare the %s's layers in %s and remove 'extends %s'."),
    TWO_LAYERS("two-layers", Kind.ERROR,
            "%s: one method declares one layer, found %s. Fix: split them into one method each, in order."),
    ALIAS_CONFLICT("alias-conflict", Kind.ERROR,
            "%s: @%s sets both 'value' (%s) and '%s' (%s); they are the same attribute. Fix: keep one, e.g. @%s(%s)."),
    ALIAS_MISSING("missing-size", Kind.ERROR,
            "%s: @%s needs its %s; found none. Fix: write @%s(N) or @%s(%s = N)."),

    // Attribute values.
    BAD_INPUT_SHAPE("input-shape", Kind.ERROR,
            "%s: inputShape %s is not a valid sample shape: %s. Expected {N} for vectors, {T, F} for sequences or "
                    + "{H, W, C} for images, every size at least 1."),
    OUT_OF_RANGE("attribute-range", Kind.ERROR,
            "%s: %s = %s is out of range; expected %s."),
    BAD_RESHAPE_TARGET("reshape-target", Kind.ERROR,
            "%s: @Reshape(%s) has rank %d; expected {N}, {T, F} or {H, W, C} with every size at least 1."),

    // Shapes.
    DENSE_NEEDS_VECTOR("dense-input", Kind.ERROR,
            "%s: @Dense needs a vector input, found %s from %s. Fix: add '@Flatten void flatten();' before it."),
    NEEDS_IMAGE("image-input", Kind.ERROR,
            "%s: @%s needs an image input {H, W, C}, found %s from %s. Fix: %s"),
    NEEDS_SEQUENCE("sequence-input", Kind.ERROR,
            "%s: @%s needs a sequence input {T, F}, found %s from %s. Fix: %s"),
    FLATTEN_OF_VECTOR("flatten-input", Kind.ERROR,
            "%s: @Flatten needs an image or a sequence, found the vector %s from %s, which is flat already. Fix: remove it."),
    WINDOW_TOO_LARGE("window-too-large", Kind.ERROR,
            "%s: %s %d is larger than its input %s x %s from %s. Fix: use %s of at most %d, or a larger input."),
    WINDOW_TOO_LONG("window-too-long", Kind.ERROR,
            "%s: %s %d is longer than its input sequence of %d time steps from %s. Fix: use %s of at most %d, "
                    + "padding SAME, or a longer input."),
    TRANSPOSE_KERNEL_BELOW_STRIDES("transpose-kernel", Kind.ERROR,
            "%s: @Conv2DTranspose with padding VALID needs kernel >= strides, found kernel %d and strides %d "
                    + "(DL4J and Keras disagree on the output size there). Fix: use padding SAME or kernel %d."),
    RESHAPE_COUNT("reshape-size", Kind.ERROR,
            "%s: @Reshape(%s) holds %s values but its input %s from %s holds %,d. Fix: choose a target shape of %,d values."),
    TOO_LARGE("too-large", Kind.ERROR,
            "%s: its output %s holds %s values per sample; at most %,d fit in one array. Fix: %s"),
    LAYER_PARAMETERS("layer-parameters", Kind.ERROR,
            "%s: @%s holds %s parameters; at most %,d fit in one layer's parameter array. Fix: %s"),
    MODEL_PARAMETERS("model-parameters", Kind.ERROR,
            "%s: the model holds %s parameters in all; at most %,d fit in the network's one parameter array, and this "
                    + "layer holds the most, %,d. Fix: use fewer %s here or in other layers, or downsample before them."),
    OUTPUT_SHAPE("output-shape", Kind.ERROR,
            "%s: the decoder's output %s differs from the input shape %s (%s); the reconstruction must have the input's shape. "
                    + "Decoder shapes: %s. Fix: %s"),

    // Loss and range.
    LOSS_RANGE("loss-range", Kind.ERROR,
            "%s: BINARY_CROSSENTROPY needs outputs and data in [0, 1], found %s. Fix: %s"),
    CUSTOM_CLASS("custom-class", Kind.ERROR,
            "%s: %s = %s.class cannot be used: %s. Fix: %s"),

    // Warnings: it compiles, and it usually fails to train. Each text is short and ends with a fix;
    // the measurements behind it are in its section of docs/errors-and-warnings.md, linked at the end.
    NOISE_TOO_STRONG("noise-too-strong", Kind.WARNING,
            "%s: gaussian = %s is %s of the data's range %s; little of the input survives and the network learns the "
                    + "mean image. Fix: use at most half the range, e.g. gaussian = 0.2 as the seed's improved setup."),
    NOISE_TOO_WEAK("noise-too-weak", Kind.WARNING,
            "%s: %s; the network can pass its input through and learn nothing about the data. Fix: add noise, "
                    + "e.g. @Noise(gaussian = 0.2)."),
    STATIC_NOISE("static-noise", Kind.WARNING,
            "%s: resample = ONCE corrupts the training data once, so the network can memorise the corruption instead of "
                    + "learning to remove it. Fix: resample = Resample.EVERY_BATCH (the default)."),
    SHALLOW_ENCODER("shallow-encoder", Kind.WARNING,
            "%s: the encoder of this image model has only dense layers, which see the image as a flat vector, not "
                    + "its neighbourhoods; a cost in quality, not a failure. Fix: start the encoder with @Conv2D and "
                    + "@MaxPool2D layers."),
    NARROW_CODE("narrow-code", Kind.WARNING,
            "%s: the code holds %,d values for an input of %,d (1 in %,d); below %d values it carries too little to "
                    + "reconstruct from and training collapses towards the mean image. Fix: widen the last encoder layer "
                    + "to at least %d values."),
    SHALLOW_DECODER("shallow-decoder", Kind.WARNING,
            "%s: the decoder is a single weighted layer from a code of %,d values to %,d, which costs test loss against "
                    + "a hidden layer. Fix: add a hidden layer before %s."),
    OUTPUT_ACTIVATION_RANGE("output-activation-range", Kind.WARNING,
            "%s: the output activation %s %s, but the data is %s %s; such outputs collapse to no better than the "
                    + "mean image. Fix: %s"),
    SMALL_BATCH("small-batch", Kind.WARNING,
            "%s: batchSize = %d; under %d an epoch takes many times as long as at 64, and larger batches reach lower "
                    + "losses in equal time. Fix: batchSize = 64, with more epochs."),
    LEARNING_RATE("learning-rate", Kind.WARNING,
            "%s: learningRate = %s is too %s for %s: %s %s it %s. Fix: learningRate = %s."),

    // The processor itself.
    INTERNAL("internal", Kind.ERROR,
            "%s: the Latent processor failed on this model (%s); please report it with this message and the model's "
                    + "source. Nothing was generated for it.%n%s");

    /** Whether a diagnostic stops generation. */
    public enum Kind { ERROR, WARNING }

    private final String code;
    private final Kind kind;
    private final String format;

    Message(String code, Kind kind, String format) {
        this.code = code;
        this.kind = kind;
        this.format = format;
    }

    /** The stable code, as written in {@code @SuppressWarnings}: {@code latent:output-shape}. */
    public String code() {
        return "latent:" + code;
    }

    public Kind kind() {
        return kind;
    }

    /** The section of the docs that explains this message: {@code docs/errors-and-warnings.md#noise-too-strong}. */
    public String docs() {
        return "docs/errors-and-warnings.md#" + code;
    }

    /**
     * The full text: {@code [latent:code] } followed by the formatted message; a warning ends with
     * the link to its section of the docs, where its measurements are.
     */
    public String format(Object... args) {
        String text = "[" + code() + "] " + String.format(Locale.ROOT, format, args);
        return kind == Kind.WARNING ? text + " See " + docs() + "." : text;
    }
}
