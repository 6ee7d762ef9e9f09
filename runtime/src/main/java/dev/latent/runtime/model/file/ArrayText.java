package dev.latent.runtime.model.file;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An array as text (ND4J's binary form in Base64), for the text entries that engines and
 * checkpoints add to a saved zip. Exact: every bit of every value survives.
 */
public final class ArrayText {
    private ArrayText() {}

    /** The text form of {@code array}. */
    public static String encode(INDArray array) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(array, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an array to memory", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * The array whose text form is {@code text}.
     *
     * @throws IOException if the text is not one {@link #encode} wrote
     */
    public static INDArray decode(String text) throws IOException {
        try {
            // Not Nd4j.read: it allocates whatever length the bytes announce.
            return Nd4jBinary.read(Base64.getMimeDecoder().decode(text.trim()), "an encoded array");
        } catch (IllegalArgumentException e) {
            throw new IOException("not an encoded array: " + e.getMessage(), e);
        }
    }
}
