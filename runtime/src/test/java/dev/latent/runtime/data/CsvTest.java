package dev.latent.runtime.data;

import static dev.latent.runtime.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latent.runtime.settings.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** CSV tables: a sample per row, and a long table cut into windows; every bad cell named by line and column. */
class CsvTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) {
        return write(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String failure(Executable read) {
        return assertThrows(DataFileException.class, read).getMessage();
    }

    @Test
    void aByteOrderMarkIsSkipped() {
        // Excel's "CSV UTF-8" starts with EF BB BF; the first row is data all the same.
        Samples s = Datasets.readCsv(csv("bom.csv", "\uFEFF1,2,3\n4,5,6\n"));
        assertEquals(2, s.size());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, s.features().ravel().toFloatVector());
        Samples headed = Datasets.readCsv(csv("bom-header.csv", "\uFEFFa,b\n1,2\n"));
        assertEquals(1, headed.size());
    }

    @Test
    void rowsAreSamplesAndAHeaderIsDetected() {
        Samples s = Datasets.readCsv(csv("r.csv", "a,b,c\n1,2,3\n\n4.5,-5,6e1\n"));
        assertEquals(Shape.of(3), s.sampleShape());
        assertEquals(2, s.size());
        assertFalse(s.pixels());
        assertArrayEquals(new float[] {1, 2, 3, 4.5f, -5, 60}, s.features().ravel().toFloatVector());
        assertEquals("r.csv (2 vectors of 3)", s.description());
    }

    @Test
    void withoutHeaderSemicolonsAndQuotes() {
        Samples s = Datasets.readCsv(csv("q.csv", "\"1\";2\n3;\"4\"\n"));
        assertArrayEquals(new float[] {1, 2, 3, 4}, s.features().ravel().toFloatVector());
    }

    @Test
    void badCellsAreNamedByLineAndColumn() {
        Path word = csv("w.csv", "x,y\n1,2\n3,abc\n");
        assertEquals(word + ": line 3, column 2 ('y'): 'abc' is not a number",
                failure(() -> Datasets.readCsv(word)));
        Path nan = csv("n.csv", "1,2\n3,NaN\n");
        assertEquals(nan + ": line 2, column 2: NaN, expected a finite number", failure(() -> Datasets.readCsv(nan)));
        Path empty = csv("m.csv", "1,2\n,4\n");
        assertEquals(empty + ": line 2, column 1 is empty, expected a number", failure(() -> Datasets.readCsv(empty)));
    }

    @Test
    void raggedEmptyAndHeaderOnlyFilesAreReported() {
        Path ragged = csv("g.csv", "1,2,3\n4,5\n");
        assertEquals(ragged + ": line 2 has 2 cells, expected 3 like the first line",
                failure(() -> Datasets.readCsv(ragged)));
        Path empty = csv("e.csv", "\n\n");
        assertEquals(empty + ": empty file, expected a CSV table of numbers", failure(() -> Datasets.readCsv(empty)));
        Path header = csv("h.csv", "a,b\n");
        assertEquals(header + ": a header but no data rows", failure(() -> Datasets.readCsv(header)));
        Path missing = dir.resolve("none.csv");
        assertEquals(missing + ": file not found", failure(() -> Datasets.readCsv(missing)));
    }

    @Test
    void aLongTableIsCutIntoWindowsOfSelectedColumns() {
        Path table = csv("t.csv", "time,pressure,temp\n0,10,100\n1,11,101\n2,12,102\n3,13,103\n4,14,104\n");
        Samples w = Datasets.windows(table, 3, 2, "temp", "pressure");
        assertEquals(Shape.of(3, 2), w.sampleShape());
        assertEquals(2, w.size()); // rows 0-2 and 2-4
        // The engine holds sequences as DL4J's recurrent layers read them, [n, F, T]: a row per column.
        assertArrayEquals(new long[] {2, 2, 3}, w.features().shape());
        assertArrayEquals(new float[] {100, 101, 102, 10, 11, 12, 102, 103, 104, 12, 13, 14},
                w.features().ravel().toFloatVector());
        assertEquals("t.csv (2 windows of 3 rows x 2 columns, stride 2)", w.description());
        // A column of dates is no error while it is not used.
        Path dated = csv("d.csv", "date,temp\n2010-01-01T01:00:00,4.0\n2010-01-01T02:00:00,3.9\n");
        assertArrayEquals(new float[] {4.0f, 3.9f}, Datasets.windows(dated, 2, 1, "temp").features().ravel().toFloatVector());
        assertEquals(dated + ": line 2, column 1 ('date'): '2010-01-01T01:00:00' is not a number",
                failure(() -> Datasets.windows(dated, 2, 1)));
        assertEquals(dated + ": line 2, column 1 ('date'): '2010-01-01T01:00:00' is not a number",
                failure(() -> Datasets.readCsv(dated)));
        // By 1-based number, and every column when none is named.
        assertArrayEquals(new float[] {1, 2}, Datasets.windows(table, 2, 1, "1").features().get(NDArrayIndex.point(1)).ravel().toFloatVector());
        assertEquals(Shape.of(5, 3), Datasets.windows(table, 5, 1).sampleShape());
    }

    @Test
    void windowErrorsAreReported() {
        Path table = csv("t.csv", "time,temp\n0,1\n1,2\n");
        assertEquals(table + ": no column 'wind'; the columns are time, temp (or their numbers 1 to 2)",
                failure(() -> Datasets.windows(table, 2, 1, "wind")));
        assertEquals(table + ": 2 rows are fewer than one window of 3", failure(() -> Datasets.windows(table, 3, 1)));
        assertThrows(IllegalArgumentException.class, () -> Datasets.windows(table, 2, 0));
    }
}
