package unetq.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Renders a {@link Report} with the page template {@code unetq/report/report.mustache} (Mustache: logic-less,
 * every value HTML-escaped), and reads and writes its report.json.
 */
public final class HtmlReport {
    public static final String PAGE = "report.html";
    public static final String DATA = "report.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DefaultMustacheFactory TEMPLATES = new DefaultMustacheFactory("unetq/report");
    private static final Mustache TEMPLATE = TEMPLATES.compile("report.mustache");

    private HtmlReport() {
    }

    public static String html(Report report) {
        StringWriter w = new StringWriter();
        TEMPLATE.execute(w, report);
        return w.toString();
    }

    /** Another page of the same look ({@code template} under unetq/report) for the values in {@code scope}. */
    public static String page(String template, Object scope) {
        StringWriter w = new StringWriter();
        TEMPLATES.compile(template).execute(w, scope);
        return w.toString();
    }

    public static byte[] json(Report report) {
        try {
            return JSON.writeValueAsBytes(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Report read(Path json) throws IOException {
        return JSON.readValue(json.toFile(), Report.class);
    }
}
