package dev.shipdeck.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A plain-text table as kubectl prints one: an upper-case header row, columns aligned, three spaces apart. */
final class Table {
    static final String NONE = "<none>";
    private static final String GAP = "   ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = Arrays.stream(headers).map(h -> h.toUpperCase(Locale.ROOT)).toList();
    }

    /** Adds a row; null or empty cells show as {@code <none>}. */
    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(c -> c == null || c.toString().isEmpty() ? NONE : c.toString()).toList());
        return this;
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> r : rows) widths[i] = Math.max(widths[i], r.get(i).length());
        }
        line(out, headers, widths);
        for (List<String> r : rows) line(out, r, widths);
    }

    /**
     * The same rows as CSV (RFC 4180: a header row of lower-case column names, fields with a comma, quote or line
     * break quoted, quotes doubled); empty cells stay empty rather than {@code <none>}.
     */
    void printCsv(PrintWriter out) {
        out.print(csvLine(headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList()));
        for (List<String> r : rows) out.print(csvLine(r.stream().map(c -> c.equals(NONE) ? "" : c).toList()));
    }

    private static String csvLine(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i > 0) sb.append(',');
            sb.append(c.matches("(?s).*[,\"\r\n].*") ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
        }
        return sb.append("\r\n").toString();
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(c);
            if (i < cells.size() - 1) sb.append(" ".repeat(widths[i] - c.length())).append(GAP);
        }
        out.println(sb);
    }
}
