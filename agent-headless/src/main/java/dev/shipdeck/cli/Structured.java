package dev.shipdeck.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** Rows as a pretty-printed JSON array (kubectl's layout: {@code "key": value}, one element per line) or YAML. */
final class Structured {
    private static final ObjectWriter JSON = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator("")
                    .withObjectEmptySeparator(""))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));
    private static final ObjectWriter YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build()).writer();

    private Structured() {}

    static void print(PrintWriter out, OutputFormat format, List<?> rows) {
        print(out, format, (Object) rows);
    }

    /** One object (a report rather than rows) as JSON or YAML. */
    static void print(PrintWriter out, OutputFormat format, Object rows) {
        try {
            if (format == OutputFormat.YAML) {
                out.print(YAML.writeValueAsString(rows));
            } else {
                out.println(JSON.writeValueAsString(rows));
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
