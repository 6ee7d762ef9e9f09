package dev.latent.examples.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A self-contained report page: plain HTML with relative image links, so that {@code index.html}
 * opens from the disk in any browser, with no server and nothing fetched from the network.
 *
 * <p>A small inline script marks the body {@code data-images="loaded"} once every image has
 * loaded (or {@code data-images="missing: a.png"}), which the headless-browser test reads.
 */
public final class HtmlPage {
    private final StringBuilder body = new StringBuilder();
    private final String title;

    public HtmlPage(String title) {
        this.title = title;
    }

    /** A section heading. */
    public HtmlPage heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    /** A paragraph of text. */
    public HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A paragraph with its first words in bold: a verdict and its meaning. */
    public HtmlPage verdict(String verdict, String text) {
        body.append("<p class=\"verdict\"><strong>").append(escape(verdict)).append("</strong> ").append(escape(text))
                .append("</p>\n");
        return this;
    }

    /** Preformatted text: a layer table, a result. */
    public HtmlPage preformatted(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    /** An image beside the page, by its file name. */
    public HtmlPage image(String file, String alt) {
        body.append("<p><img src=\"").append(escape(file)).append("\" alt=\"").append(escape(alt)).append("\"></p>\n");
        return this;
    }

    /** A table; the first row is the header. */
    public HtmlPage table(List<List<String>> rows) {
        body.append("<table>\n");
        for (int r = 0; r < rows.size(); r++) {
            String cell = r == 0 ? "th" : "td";
            body.append("<tr>");
            for (String value : rows.get(r)) {
                body.append('<').append(cell).append('>').append(escape(value)).append("</").append(cell).append('>');
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** The whole page. */
    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n"
                + "body { font-family: sans-serif; max-width: 960px; margin: 2em auto; color: #222; }\n"
                + "pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 13px; }\n"
                + "table { border-collapse: collapse; font-size: 14px; }\n"
                + "td, th { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }\n"
                + "img { max-width: 100%; }\n.verdict { font-size: 1.1em; }\n</style>\n</head>\n"
                + "<body>\n<h1>" + escape(title) + "</h1>\n" + body
                + "<script>\nwindow.addEventListener('load', function () {\n"
                + "  var missing = Array.prototype.filter.call(document.images, function (i) {\n"
                + "    return !(i.complete && i.naturalWidth > 0); }).map(function (i) { return i.getAttribute('src'); });\n"
                + "  document.body.setAttribute('data-images', missing.length ? 'missing: ' + missing.join(' ') : 'loaded');\n"
                + "});\n</script>\n</body>\n</html>\n";
    }

    /** Writes the page to {@code file}, beside its images, replacing it whole. */
    public void write(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(temporary, html(), StandardCharsets.UTF_8);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
