package dev.latent.runtime.model.file;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arrays as NumPy {@code .npy} (version 1, little-endian float32 or float64, C order), written and
 * read exactly: every bit of every value survives. The reader takes no size from the file on
 * trust: the header is bounded, the element count is checked against what the caller expects
 * before anything is allocated, and the data must end where the header says.
 */
final class NpyArrays {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 4096;
    private static final int MAX_RANK = 8;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final int CHUNK = 1 << 14;

    private NpyArrays() {}

    /** Writes {@code array} (float or double) as a .npy file. */
    static void write(INDArray array, OutputStream out) throws IOException {
        boolean doubles = array.dataType() == DataType.DOUBLE;
        if (!doubles && array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("only float and double arrays are saved, found " + array.dataType());
        }
        StringBuilder shape = new StringBuilder();
        for (long dim : array.shape()) {
            shape.append(dim).append(", ");
        }
        String dict = "{'descr': '" + (doubles ? "<f8" : "<f4") + "', 'fortran_order': False, 'shape': ("
                + shape.toString().replaceFirst(", $", array.rank() == 1 ? "," : "") + "), }";
        // The preamble (10 bytes) and the header together fill a multiple of 64 bytes, as NumPy writes them.
        int padded = ((10 + dict.length() + 1 + 63) / 64) * 64 - 10;
        byte[] header = (dict + " ".repeat(padded - dict.length() - 1) + "\n").getBytes(StandardCharsets.US_ASCII);
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) header.length, (byte) (header.length >>> 8)});
        out.write(header);
        INDArray values = array.dup('c').reshape('c', new long[] {array.length()});
        long n = values.length();
        int width = doubles ? 8 : 4;
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK * width).order(ByteOrder.LITTLE_ENDIAN);
        for (long from = 0; from < n; from += CHUNK) {
            int count = (int) Math.min(CHUNK, n - from);
            buffer.clear();
            for (int i = 0; i < count; i++) {
                if (doubles) {
                    buffer.putDouble(values.getDouble(from + i));
                } else {
                    buffer.putFloat(values.getFloat(from + i));
                }
            }
            out.write(buffer.array(), 0, count * width);
        }
    }

    /**
     * Reads a .npy file written by {@link #write} from {@code in}.
     *
     * @param name the entry's name, for messages
     * @param maxElements the most elements the caller accepts; a header that announces more is refused
     *     before anything is allocated
     * @throws IllegalArgumentException naming what is wrong
     */
    static INDArray read(InputStream in, String name, long maxElements) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] preamble = new byte[10];
        readFully(data, preamble, name);
        if (!Arrays.equals(Arrays.copyOf(preamble, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException(name + " is not a .npy array (its first bytes are not \\x93NUMPY)");
        }
        if (preamble[6] != 1) {
            throw new IllegalArgumentException(name + " is .npy version " + preamble[6] + ", expected 1");
        }
        int headerLength = (preamble[8] & 0xFF) | (preamble[9] & 0xFF) << 8;
        if (headerLength > MAX_HEADER) {
            throw new IllegalArgumentException(name + " has a .npy header of " + headerLength + " bytes, more than "
                    + MAX_HEADER);
        }
        byte[] headerBytes = new byte[headerLength];
        readFully(data, headerBytes, name);
        String header = new String(headerBytes, StandardCharsets.US_ASCII);
        String descr = group(DESCR, header, name, "descr");
        boolean doubles = switch (descr) {
            case "<f4" -> false;
            case "<f8" -> true;
            default -> throw new IllegalArgumentException(name + " holds '" + descr
                    + "' values, expected little-endian float32 or float64 ('<f4' or '<f8')");
        };
        if (!"False".equals(group(FORTRAN, header, name, "fortran_order"))) {
            throw new IllegalArgumentException(name + " is in Fortran order, expected C order");
        }
        long[] shape = shape(group(SHAPE, header, name, "shape"), name);
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
            if (count > maxElements) {
                throw new IllegalArgumentException(name + " announces shape " + Arrays.toString(shape)
                        + ", more than the " + maxElements + " values the model's configuration allows");
            }
        }
        INDArray array;
        if (doubles) {
            double[] values = new double[(int) count];
            readChunks(data, count, Double.BYTES, name, (chunk, from, n) -> chunk.asDoubleBuffer().get(values, from, n));
            array = Nd4j.create(values, shape, 'c');
        } else {
            float[] values = new float[(int) count];
            readChunks(data, count, Float.BYTES, name, (chunk, from, n) -> chunk.asFloatBuffer().get(values, from, n));
            array = Nd4j.create(values, shape, 'c');
        }
        if (data.read() != -1) {
            throw new IllegalArgumentException(name + " holds more bytes than its header announces");
        }
        return array;
    }

    private static long[] shape(String text, String name) {
        String[] parts = text.split(",");
        long[] dims = Arrays.stream(parts).map(String::trim).filter(p -> !p.isEmpty()).mapToLong(p -> {
            try {
                long dim = Long.parseLong(p);
                if (dim < 0) {
                    throw new IllegalArgumentException(name + " announces a negative dimension " + dim);
                }
                return dim;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " announces a shape '(" + text + ")' that is not a list of sizes");
            }
        }).toArray();
        if (dims.length == 0 || dims.length > MAX_RANK) {
            throw new IllegalArgumentException(name + " announces " + dims.length + " dimensions, expected 1 to " + MAX_RANK);
        }
        return dims;
    }

    private static String group(Pattern pattern, String header, String name, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(name + " has a .npy header without '" + key + "'");
        }
        return m.group(1);
    }

    /** Where {@link #readChunks} puts the values of one chunk: {@code n} of them, from index {@code from}. */
    private interface ChunkSink {
        void take(ByteBuffer chunk, int from, int n);
    }

    /**
     * Reads {@code count} values of {@code width} bytes each, a chunk at a time so that no second
     * copy of the whole array is held, and hands each chunk, little-endian, to {@code sink}.
     */
    private static void readChunks(DataInputStream in, long count, int width, String name, ChunkSink sink)
            throws IOException {
        byte[] chunk = new byte[CHUNK * width];
        for (int from = 0; from < count; from += CHUNK) {
            int n = (int) Math.min(CHUNK, count - from);
            readFully(in, chunk, n * width, name);
            sink.take(ByteBuffer.wrap(chunk, 0, n * width).order(ByteOrder.LITTLE_ENDIAN), from, n);
        }
    }

    private static void readFully(DataInputStream in, byte[] into, String name) throws IOException {
        readFully(in, into, into.length, name);
    }

    private static void readFully(DataInputStream in, byte[] into, int length, String name) throws IOException {
        try {
            in.readFully(into, 0, length);
        } catch (EOFException e) {
            throw new IllegalArgumentException(name + " ends before the values its header announces (truncated)");
        }
    }
}
