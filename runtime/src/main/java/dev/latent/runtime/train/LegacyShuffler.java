package dev.latent.runtime.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

/**
 * The shuffling state of checkpoints written before {@link ShufflingRandom}: a
 * {@link java.util.Random} serialized by Java, in Base64. Read without deserializing: the bytes
 * must be exactly those Java writes for a {@code Random}, and only its three field values are
 * taken from them.
 *
 * <p>Java writes a {@code Random} as a fixed class description followed by its fields in name
 * order (the boolean {@code haveNextNextGaussian}, the double {@code nextNextGaussian}, the long
 * {@code seed}) and an end-of-data marker.
 */
final class LegacyShuffler {
    private static final int FIELDS = 1 + 8 + 8;
    private static final byte END_BLOCK_DATA = 0x78;
    // Writing is safe: the class description of a Random this JVM writes, to compare against.
    private static final byte[] DESCRIPTION = description();

    private LegacyShuffler() {}

    static ShufflingRandom read(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Checkpoint.STATE_ENTRY + ": shuffler is not Base64 text");
        }
        if (bytes.length != DESCRIPTION.length + FIELDS + 1
                || !Arrays.equals(Arrays.copyOf(bytes, DESCRIPTION.length), DESCRIPTION)
                || bytes[bytes.length - 1] != END_BLOCK_DATA) {
            throw new IllegalArgumentException(Checkpoint.STATE_ENTRY
                    + ": shuffler is not the state of a java.util.Random; resume from a checkpoint Latent wrote");
        }
        ByteBuffer fields = ByteBuffer.wrap(bytes, DESCRIPTION.length, FIELDS);
        boolean haveNextGaussian = fields.get() != 0;
        fields.getDouble();
        long seed = fields.getLong();
        if (haveNextGaussian) {
            throw new IllegalArgumentException(Checkpoint.STATE_ENTRY
                    + ": shuffler holds a pending gaussian, which the trainer's shuffling never draws");
        }
        return ShufflingRandom.ofState(seed);
    }

    private static byte[] description() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new Random(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot describe java.util.Random", e);
        }
        byte[] all = bytes.toByteArray();
        return Arrays.copyOf(all, all.length - FIELDS - 1);
    }
}
