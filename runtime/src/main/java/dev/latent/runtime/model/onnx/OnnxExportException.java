package dev.latent.runtime.model.onnx;

/**
 * A model that cannot be written as ONNX exactly: the message names the layer and what in it
 * has no exact ONNX form.
 */
public final class OnnxExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OnnxExportException(String message) {
        super(message);
    }

    /** For the trained model's own refusal, with the lowering's reason as {@code cause}. */
    public OnnxExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
