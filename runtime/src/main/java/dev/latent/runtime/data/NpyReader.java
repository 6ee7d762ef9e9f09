package dev.latent.runtime.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy's {@code .npy} format (versions 1 to 3): the magic {@code \x93NUMPY}, a header
 * dictionary with {@code descr}, {@code fortran_order} and {@code shape}, then the elements.
 * Little-endian float32, float64, uint8, int8, int16, int32 and int64, in C order.
 *
 * <p>Our own reader rather than ND4J's {@code Nd4j.createFromNpyFile}: given a truncated file that
 * one returns the missing elements as whatever memory follows, and given a Fortran-order file it
 * returns the values transposed, both silently; here each is a {@link DataFileException}.
 */
final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final int CHUNK = 1 << 16;

    private NpyReader() {}

    /** Dimensions, values widened to float, and whether they were unsigned bytes. */
    record Contents(int[] dims, float[] values, boolean unsignedBytes) {}

    static Contents read(Path file) {
        String name = DataFileException.fileName(file, "a .npy file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel, name);
        } catch (IOException e) {
            throw DataFileException.reading(name, e);
        }
    }

    /** A .npy file's dimensions, element type, element count, and where its elements start. */
    record Header(int[] dims, Type type, long elements, long dataOffset) {}

    /**
     * Reads and checks the header of a .npy file, and that the file holds exactly the elements it
     * announces; leaves {@code channel} at the first element.
     */
    static Header header(FileChannel channel, String name) throws IOException {
        long fileSize = channel.size();
        ByteBuffer preamble = readFully(channel, 10, name, "a .npy preamble");
        byte[] magic = new byte[MAGIC.length];
        preamble.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new DataFileException(name, "not a .npy file: magic bytes " + hex(magic)
                    + ", expected 93 4E 55 4D 50 59 (\\x93NUMPY)");
        }
        int major = preamble.get() & 0xFF;
        preamble.get();
        long headerLength;
        if (major == 1) {
            headerLength = preamble.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xFFFF;
        } else if (major == 2 || major == 3) {
            ByteBuffer more = readFully(channel, 2, name, "a version " + major + " header length");
            headerLength = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                    .put(preamble.array(), 8, 2).put(more.array()).getInt(0) & 0xFFFFFFFFL;
        } else {
            throw new DataFileException(name, ".npy format version " + major + ", expected 1, 2 or 3");
        }
        // Checked before allocating: a corrupt length could ask for gigabytes.
        if (headerLength > fileSize - channel.position()) {
            throw new DataFileException(name, "truncated: the file ends inside the header");
        }
        String header = StandardCharsets.ISO_8859_1.decode(
                readFully(channel, (int) headerLength, name, "the header")).toString();
        Type type = type(find(DESCR, header, "descr", name), name);
        if (find(FORTRAN, header, "fortran_order", name).equals("True")) {
            throw new DataFileException(name, "fortran_order is True, expected C order; save it with "
                    + "np.save(path, np.ascontiguousarray(array))");
        }
        int[] dims = dims(find(SHAPE, header, "shape", name), name);
        long count = 1;
        for (int d : dims) {
            // Dimensions are ints, so only a rank past 3 could overflow; no file of 2^63 bytes exists.
            count = Math.multiplyExact(count, d);
        }
        long dataBytes = fileSize - channel.position();
        long expected = count * type.bytes;
        if (dataBytes != expected) {
            throw new DataFileException(name, String.format(Locale.ROOT,
                    "%s: shape (%s) of %s needs %,d bytes of data, the file has %,d",
                    dataBytes < expected ? "truncated" : "trailing garbage", IdxArray.dimsText(dims),
                    type.label, expected, dataBytes));
        }
        return new Header(dims, type, count, channel.position());
    }

    private static Contents read(FileChannel channel, String name) throws IOException {
        Header header = header(channel, name);
        int[] dims = header.dims();
        Type type = header.type();
        long count = header.elements();
        if (count > IdxReader.MAX_ELEMENTS) {
            throw new DataFileException(name, "too large: shape (" + IdxArray.dimsText(dims)
                    + ") does not fit in one array");
        }
        float[] values = new float[(int) count];
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        while (done < count) {
            chunk.clear();
            chunk.limit((int) Math.min(CHUNK / type.bytes, count - done) * type.bytes);
            while (chunk.hasRemaining()) {
                if (channel.read(chunk) < 0) {
                    throw new DataFileException(name, "truncated: the file ended while being read");
                }
            }
            chunk.flip();
            int n = chunk.remaining() / type.bytes;
            for (int i = 0; i < n; i++) {
                values[done + i] = type.decode(chunk);
            }
            done += n;
        }
        return new Contents(dims, values, type == Type.U1);
    }

    private static ByteBuffer readFully(FileChannel channel, int bytes, String name, String what) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new DataFileException(name, buffer.position() == 0 && channel.position() == 0
                        ? "empty file, expected a .npy file"
                        : "truncated: the file ends inside " + what);
            }
        }
        return buffer.flip();
    }

    private static String find(Pattern pattern, String header, String key, String name) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new DataFileException(name, "the header has no readable '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static int[] dims(String text, String name) {
        String[] parts = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toArray(String[]::new);
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Integer.parseInt(parts[i].replaceAll("L$", ""));
            } catch (NumberFormatException e) {
                dims[i] = -1;
            }
            if (dims[i] <= 0) {
                throw new DataFileException(name, "shape (" + text + ") has dimension '" + parts[i]
                        + "', expected positive sizes");
            }
        }
        return dims;
    }

    private static Type type(String descr, String name) {
        if (descr.length() < 2) {
            throw new DataFileException(name, "unknown dtype '" + descr + "'");
        }
        char order = descr.charAt(0);
        String code = descr.substring(1);
        Type type = Arrays.stream(Type.values()).filter(t -> t.code.equals(code)).findFirst().orElse(null);
        if (type == null) {
            throw new DataFileException(name, "dtype '" + descr + "', expected one of float32 (<f4), float64 (<f8), "
                    + "uint8 (|u1), int8 (|i1), int16 (<i2), int32 (<i4), int64 (<i8)");
        }
        if (order == '>' && type.bytes > 1) {
            throw new DataFileException(name, "dtype '" + descr + "' is big-endian, expected little-endian; "
                    + "convert it with array.astype(array.dtype.newbyteorder('<'))");
        }
        return type;
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02X", b & 0xFF));
        }
        return s.toString();
    }

    enum Type {
        F4("f4", 4, "float32"), F8("f8", 8, "float64"), U1("u1", 1, "uint8"), I1("i1", 1, "int8"),
        I2("i2", 2, "int16"), I4("i4", 4, "int32"), I8("i8", 8, "int64");

        final String code;
        final int bytes;
        final String label;

        Type(String code, int bytes, String label) {
            this.code = code;
            this.bytes = bytes;
            this.label = label;
        }

        float decode(ByteBuffer b) {
            return switch (this) {
                case F4 -> b.getFloat();
                case F8 -> (float) b.getDouble();
                case U1 -> b.get() & 0xFF;
                case I1 -> b.get();
                case I2 -> b.getShort();
                case I4 -> b.getInt();
                case I8 -> b.getLong();
            };
        }
    }
}
