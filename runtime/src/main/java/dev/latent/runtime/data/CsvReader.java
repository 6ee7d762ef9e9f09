package dev.latent.runtime.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a numeric CSV table: one record a line, cells separated by commas (or semicolons or tabs,
 * whichever the first line uses), optionally in double quotes. The first line is a header when
 * one of its cells is not a number. Blank lines are skipped. A column of text (dates, labels) is
 * an error only when it is used ({@link Table#requireNumbers}), so a table's date column can sit
 * beside the series a model reads.
 *
 * <p>Our own reader rather than DataVec's {@code CSVRecordReader}: it is a few lines, needs no
 * record-reader and iterator set-up, holds the table as one float array, and can name the line
 * and column of a bad cell in its message, which DataVec's number parsing does not.
 */
final class CsvReader {
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private CsvReader() {}

    /**
     * A table of numbers.
     *
     * @param names the header's column names, or null when the file has no header
     * @param firstDataLine the file's line number (1-based) of the first data row, for messages
     * @param values row after row; NaN where a cell is not a number
     * @param problems per column, the first cell that is not a number, or null
     */
    record Table(String source, String[] names, int rows, int columns, int firstDataLine, float[] values,
            Problem[] problems) {
        /** Fails with the earliest bad cell of {@code used} (0-based columns), if any. */
        void requireNumbers(int... used) {
            Problem first = null;
            for (int c : used) {
                Problem p = problems[c];
                if (p != null && (first == null || p.line() < first.line())) {
                    first = p;
                }
            }
            if (first != null) {
                throw first.error();
            }
        }

        /** Fails with the earliest bad cell of the whole table, if any. */
        void requireNumbers() {
            requireNumbers(java.util.stream.IntStream.range(0, columns).toArray());
        }

        /** The 0-based index of the column called {@code name}, or given as a 1-based number. */
        int column(String name) {
            if (names != null) {
                int i = Arrays.asList(names).indexOf(name);
                if (i >= 0) {
                    return i;
                }
            }
            try {
                int i = Integer.parseInt(name.trim()) - 1;
                if (i >= 0 && i < columns) {
                    return i;
                }
            } catch (NumberFormatException ignored) {
                // Not a number either: reported below with the names there are.
            }
            throw new DataFileException(source, "no column '" + name + "'; the columns are "
                    + (names == null ? "1 to " + columns + " (no header)" : String.join(", ", names)
                            + " (or their numbers 1 to " + columns + ")"));
        }
    }

    /** A cell that is not a number, kept until its column is used. */
    record Problem(int line, DataFileException error) {}

    static Table read(Path file) {
        String name = DataFileException.fileName(file, "a CSV file");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, name);
        } catch (CharacterCodingException e) {
            throw new DataFileException(name, "not a text file in UTF-8, expected a CSV table of numbers", e);
        } catch (IOException e) {
            throw DataFileException.reading(name, e);
        }
    }

    private static Table parse(BufferedReader in, String name) throws IOException {
        String[] names = null;
        char separator = 0;
        int columns = -1;
        int rows = 0;
        int firstDataLine = 0;
        float[] values = new float[1 << 12];
        Problem[] problems = null;
        int lineNumber = 0;
        for (String line; (line = in.readLine()) != null; ) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith(BYTE_ORDER_MARK)) {
                // Excel's "CSV UTF-8" starts with one; left in, it makes the first row of numbers a header.
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            if (separator == 0) {
                separator = separatorOf(line);
            }
            List<String> cells = Arrays.asList(line.split(String.valueOf(separator), -1));
            if (columns < 0) {
                columns = cells.size();
                if (cells.stream().anyMatch(c -> !isNumber(unquote(c)))) {
                    names = cells.stream().map(CsvReader::unquote).toArray(String[]::new);
                    continue;
                }
            }
            if (cells.size() != columns) {
                throw new DataFileException(name, String.format(Locale.ROOT,
                        "line %d has %d cells, expected %d like the first line", lineNumber, cells.size(), columns));
            }
            if ((long) (rows + 1) * columns > IdxReader.MAX_ELEMENTS) {
                throw new DataFileException(name, "too large: more than " + IdxReader.MAX_ELEMENTS
                        + " values do not fit in one array");
            }
            if ((rows + 1) * columns > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(IdxReader.MAX_ELEMENTS, 2L * (rows + 1) * columns));
            }
            if (rows == 0) {
                firstDataLine = lineNumber;
            }
            if (problems == null) {
                problems = new Problem[columns];
            }
            for (int c = 0; c < columns; c++) {
                try {
                    values[rows * columns + c] = cell(unquote(cells.get(c)), name, lineNumber, c, names);
                } catch (DataFileException e) {
                    values[rows * columns + c] = Float.NaN;
                    if (problems[c] == null) {
                        problems[c] = new Problem(lineNumber, e);
                    }
                }
            }
            rows++;
        }
        if (columns < 0) {
            throw new DataFileException(name, "empty file, expected a CSV table of numbers");
        }
        if (rows == 0) {
            throw new DataFileException(name, "a header but no data rows");
        }
        return new Table(name, names, rows, columns, firstDataLine, Arrays.copyOf(values, rows * columns), problems);
    }

    private static char separatorOf(String line) {
        for (char c : new char[] {',', ';', '\t'}) {
            if (line.indexOf(c) >= 0) {
                return c;
            }
        }
        return ',';
    }

    private static String unquote(String cell) {
        String t = cell.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1).trim() : t;
    }

    private static boolean isNumber(String text) {
        try {
            Float.parseFloat(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static float cell(String text, String name, int line, int column, String[] names) {
        String where = "line " + line + ", column " + (column + 1) + (names == null ? "" : " ('" + names[column] + "')");
        if (text.isEmpty()) {
            throw new DataFileException(name, where + " is empty, expected a number");
        }
        float value;
        try {
            value = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new DataFileException(name, where + ": '" + text + "' is not a number");
        }
        if (!Float.isFinite(value)) {
            throw new DataFileException(name, where + ": " + text + ", expected a finite number");
        }
        return value;
    }
}
