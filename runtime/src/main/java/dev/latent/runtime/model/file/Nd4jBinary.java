package dev.latent.runtime.model.file;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the binary form {@code Nd4j.write} gives an array (DL4J's {@code coefficients.bin} and
 * {@code updaterState.bin}, and Latent's array text), without {@code Nd4j.read}: that one
 * allocates whatever length the bytes announce. Here the shape comes first, its element count is
 * checked against the caller's bound, and the data's announced length must equal it, before
 * anything is allocated.
 *
 * <p>The form: the shape information as a buffer, then the data as a buffer; a buffer is its
 * allocation mode (UTF), its length (long), its data type (UTF), then the values, big-endian.
 */
public final class Nd4jBinary {
    private static final String MODE = "MIXED_DATA_TYPES";
    private static final int MAX_RANK = 8;

    private Nd4jBinary() {}

    /**
     * The array in {@code bytes}; it can hold no more values than the bytes carry.
     *
     * @throws IllegalArgumentException if the bytes are not an array in this form
     */
    public static INDArray read(byte[] bytes, String name) {
        try {
            return read(new ByteArrayInputStream(bytes), name, bytes.length / 4);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one array of at most {@code maxElements} float or double values from {@code in}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static INDArray read(InputStream in, String name, long maxElements) throws IOException {
        DataInputStream data = new DataInputStream(in);
        try {
            long infoLength = header(data, name, "LONG");
            if (infoLength < 4 || infoLength > 2L * MAX_RANK + 4 || infoLength % 2 != 0) {
                throw new IllegalArgumentException(name + " announces a shape of " + infoLength
                        + " numbers, not an array's shape");
            }
            long[] info = new long[(int) infoLength];
            for (int i = 0; i < info.length; i++) {
                info[i] = data.readLong();
            }
            int rank = (int) info[0];
            if (info[0] < 0 || 2L * rank + 4 != infoLength) {
                throw new IllegalArgumentException(name + " announces rank " + info[0] + " in a shape of " + infoLength
                        + " numbers");
            }
            long[] shape = Arrays.copyOfRange(info, 1, 1 + rank);
            long count = 1;
            for (long dim : shape) {
                if (dim < 0) {
                    throw new IllegalArgumentException(name + " announces a negative dimension in " + Arrays.toString(shape));
                }
                count = Math.multiplyExact(count, dim);
                if (count > maxElements) {
                    throw new IllegalArgumentException(name + " announces shape " + Arrays.toString(shape)
                            + ", more values than the " + maxElements + " it may hold");
                }
            }
            char order = (char) info[info.length - 1];
            if (order != 'c' && order != 'f') {
                throw new IllegalArgumentException(name + " announces order " + info[info.length - 1]
                        + ", expected c or f");
            }
            String type = dataHeader(data, name, count);
            INDArray array;
            if (type.equals("FLOAT")) {
                float[] values = new float[(int) count];
                for (int i = 0; i < values.length; i++) {
                    values[i] = data.readFloat();
                }
                array = Nd4j.create(values, shape, order);
            } else {
                double[] values = new double[(int) count];
                for (int i = 0; i < values.length; i++) {
                    values[i] = data.readDouble();
                }
                array = Nd4j.create(values, shape, order);
            }
            if (data.read() != -1) {
                throw new IllegalArgumentException(name + " holds more bytes than one array");
            }
            return array;
        } catch (EOFException e) {
            throw new IllegalArgumentException(name + " ends before the values it announces (truncated)");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " announces a shape whose size overflows");
        }
    }

    private static String dataHeader(DataInputStream data, String name, long count) throws IOException {
        String mode = data.readUTF();
        if (!mode.equals(MODE)) {
            throw new IllegalArgumentException(name + " holds data in allocation mode '" + mode + "', expected " + MODE);
        }
        long length = data.readLong();
        String type = data.readUTF();
        if (length != count) {
            throw new IllegalArgumentException(name + " announces " + length + " values for a shape of " + count);
        }
        if (!type.equals("FLOAT") && !type.equals("DOUBLE")) {
            throw new IllegalArgumentException(name + " holds " + type + " values, expected FLOAT or DOUBLE");
        }
        return type;
    }

    private static long header(DataInputStream data, String name, String expectedType) throws IOException {
        String mode = data.readUTF();
        if (!mode.equals(MODE)) {
            throw new IllegalArgumentException(name + " is not an array written by ND4J (allocation mode '"
                    + printable(mode) + "', expected " + MODE + ")");
        }
        long length = data.readLong();
        String type = data.readUTF();
        if (!type.equals(expectedType)) {
            throw new IllegalArgumentException(name + " announces a shape of " + printable(type) + " values, expected "
                    + expectedType);
        }
        return length;
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
