package dev.latent.runtime.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The contents of an IDX file: its dimensions, its element type, and its values widened to
 * {@code float}, in file order (row-major, last dimension fastest). The arrays are not copied,
 * so that a large file is held once; treat them as read-only.
 *
 * @param dims the sizes from the header, outermost first; {@code dims[0]} is usually the count
 * @param type the element type the file stores
 * @param values every element, widened to {@code float}
 */
public record IdxArray(int[] dims, Type type, float[] values) {

    /** The element types of the IDX format, with their type codes. */
    public enum Type {
        /** Code 0x08: unsigned 8-bit integers, e.g. pixels 0..255. */
        UNSIGNED_BYTE(0x08, 1, "unsigned byte"),
        /** Code 0x09: signed 8-bit integers. */
        BYTE(0x09, 1, "signed byte"),
        /** Code 0x0B: signed 16-bit integers, big-endian. */
        SHORT(0x0B, 2, "short"),
        /** Code 0x0C: signed 32-bit integers, big-endian. */
        INT(0x0C, 4, "int"),
        /** Code 0x0D: 32-bit IEEE floats, big-endian. */
        FLOAT(0x0D, 4, "float"),
        /** Code 0x0E: 64-bit IEEE doubles, big-endian; narrowed to float when read. */
        DOUBLE(0x0E, 8, "double");

        private final int code;
        private final int bytes;
        private final String label;

        Type(int code, int bytes, String label) {
            this.code = code;
            this.bytes = bytes;
            this.label = label;
        }

        /** The type code, the third byte of the file. */
        public int code() {
            return code;
        }

        /** Bytes per element in the file. */
        public int bytes() {
            return bytes;
        }

        /** A name for messages, e.g. {@code "unsigned byte"}. */
        public String label() {
            return label;
        }

        /** The type with this code, or {@code null} if the IDX format has none. */
        public static Type ofCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }

        /** Every code with its name, for messages: {@code 0x08 (unsigned byte), ...}. */
        static String catalogue() {
            return Arrays.stream(values())
                    .map(t -> String.format(Locale.ROOT, "0x%02X (%s)", t.code, t.label))
                    .collect(Collectors.joining(", "));
        }
    }

    /**
     * @throws IllegalArgumentException if {@code values} does not hold exactly the elements
     *     {@code dims} describe
     */
    public IdxArray {
        Objects.requireNonNull(dims, "dims");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(values, "values");
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (dims.length == 0 || n != values.length) {
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " do not describe "
                    + values.length + " values");
        }
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code i}. */
    public int dim(int i) {
        return dims[i];
    }

    /** The dimensions as written in messages: {@code 10000 x 28 x 28}. */
    public String dimsText() {
        return dimsText(dims);
    }

    static String dimsText(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(" x "));
    }

    // Records compare arrays by identity; two reads of one file should be equal.
    @Override
    public boolean equals(Object o) {
        return o instanceof IdxArray other && type == other.type && Arrays.equals(dims, other.dims)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(dims)) + Arrays.hashCode(values);
    }

    /** Dimensions and type only; the values may be millions. */
    @Override
    public String toString() {
        return "IdxArray[" + dimsText() + " " + type.label() + "]";
    }
}
