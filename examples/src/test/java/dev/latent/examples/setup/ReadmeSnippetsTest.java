package dev.latent.examples.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadmeSnippetsTest {

    private static final Path README = Path.of("README.md");

    @Test
    void aMarkedBlockIsFoundByItsMarkerWhereverItStands() {
        ReadmeSnippets snippets = ReadmeSnippets.parse(README, List.of(
                "# Title",
                "```xml",
                "<unmarked/>",
                "```",
                "<!-- setup:build -->",
                "```xml",
                "<build/>",
                "  <plugins/>",
                "```",
                "text",
                "<!-- tour:train -->",
                "```java",
                "int x = 1;",
                "```"));

        assertEquals("<build/>\n  <plugins/>\n", snippets.block("setup:build"));
        assertEquals("int x = 1;\n", snippets.block("tour:train"));
    }

    @Test
    void aMissingBlockNamesItsMarker() {
        ReadmeSnippets snippets = ReadmeSnippets.parse(README, List.of("<!-- setup:build -->", "```", "x", "```"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> snippets.block("setup:dependencies"));
        assertTrue(e.getMessage().contains("<!-- setup:dependencies -->"), e.getMessage());
    }

    @Test
    void aMarkerWithoutItsBlockIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ReadmeSnippets.parse(README, List.of("<!-- setup:build -->", "", "```", "x", "```")));
        assertTrue(e.getMessage().contains("setup:build on line 1"), e.getMessage());
    }

    @Test
    void anUnclosedBlockIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ReadmeSnippets.parse(README, List.of("<!-- setup:build -->", "```", "x")));
        assertTrue(e.getMessage().contains("never closed"), e.getMessage());
    }

    @Test
    void twoBlocksUnderOneMarkerAreRefused() {
        assertThrows(IllegalStateException.class, () -> ReadmeSnippets.parse(README, List.of(
                "<!-- setup:build -->", "```", "a", "```", "<!-- setup:build -->", "```", "b", "```")));
    }
}
