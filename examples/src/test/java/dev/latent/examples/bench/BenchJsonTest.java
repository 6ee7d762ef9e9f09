package dev.latent.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchJsonTest {
    @TempDir
    Path dir;

    @Test
    void writesTheSettingsThenOneModelALine() throws Exception {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Path out = dir.resolve("report");
        BenchJson.write(out, "bench.json", List.of("\"threads\": 2", "\"quick\": true"),
                List.of("{\"model\": \"a\"}", "{\"model\": \"b\"}"), new PrintStream(said, true, StandardCharsets.UTF_8));
        assertEquals("""
                {
                  "threads": 2,
                  "quick": true,
                  "models": [
                    {"model": "a"},
                    {"model": "b"}
                  ]
                }
                """, Files.readString(out.resolve("bench.json")));
        assertTrue(said.toString(StandardCharsets.UTF_8).startsWith("wrote "), said.toString(StandardCharsets.UTF_8));
    }

    @Test
    void escapesQuotesAndBackslashesInText() {
        assertEquals("a \\\"b\\\" c\\\\d", BenchJson.text("a \"b\" c\\d"));
    }
}
