package dev.shipdeck.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/** {@code -o table|json|yaml|csv} (csv: the table's columns, for the commands that list rows). */
enum OutputFormat {
    TABLE, JSON, YAML, CSV;

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }

    /** Parses the lower-case word; says which words exist otherwise. */
    static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat f : values()) {
                if (f.toString().equals(value.trim().toLowerCase(Locale.ROOT))) return f;
            }
            throw new TypeConversionException("unknown output format '" + value + "', use one of table, json, yaml, csv");
        }
    }

    /** The candidates picocli shows in help and completion. */
    static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(OutputFormat::toString).iterator();
        }
    }
}
