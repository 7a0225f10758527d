package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Argo's analysis expressions the simulator understands: a {@code jsonPath} of the form {@code {$}} or
 * {@code {$.a.b}} (also {@code {$.a[0]}}), and conditions {@code result}, {@code result.a.b} or {@code result[0]}
 * compared with {@code == != < <= > >=} to a number, {@code true}, {@code false} or a quoted string; several joined by
 * {@code &&} or {@code ||} (no parentheses; {@code &&} binds first). Anything else is an error measurement, as an
 * expression Argo cannot evaluate is.
 */
final class AnalysisConditions {
    private static final Pattern COMPARISON = Pattern.compile(
            "\\s*result((?:\\.[A-Za-z_][A-Za-z0-9_]*|\\[\\d+])*)\\s*(?:(==|!=|<=|>=|<|>)\\s*(.+?))?\\s*");
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d+)]");

    private AnalysisConditions() {}

    /** The node at a web metric's {@code jsonPath}; an empty one is the whole document. */
    static JsonNode jsonPath(JsonNode doc, String path) {
        String p = path.strip();
        if (p.isEmpty() || p.equals("{$}")) {
            return doc;
        }
        if (!p.startsWith("{$") || !p.endsWith("}")) {
            throw new IllegalArgumentException("jsonPath " + path + " is not supported by the simulator");
        }
        JsonNode at = walk(doc, p.substring(2, p.length() - 1));
        if (at.isMissingNode()) {
            throw new IllegalArgumentException("Could not find JSONPath in body: " + p.substring(1, p.length() - 1) + " is not found");
        }
        return at;
    }

    /** Argo's EvaluateResult: Successful, Failed or Inconclusive from the two conditions (none: Successful). */
    static String evaluate(JsonNode result, String success, String failure) {
        if (success.isBlank() && failure.isBlank()) {
            return "Successful";
        }
        boolean ok = !success.isBlank() && test(result, success);
        boolean bad = !failure.isBlank() && test(result, failure);
        if (failure.isBlank()) {
            bad = !ok;
        } else if (success.isBlank()) {
            ok = !bad;
        }
        if (bad) {
            return "Failed";
        }
        return ok ? "Successful" : "Inconclusive";
    }

    static boolean test(JsonNode result, String condition) {
        for (String any : condition.split("\\|\\|")) {
            boolean all = true;
            for (String part : any.split("&&")) {
                all &= comparison(result, part);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean comparison(JsonNode result, String text) {
        Matcher m = COMPARISON.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("condition '" + text.strip() + "' is not supported by the simulator");
        }
        JsonNode value = walk(result, m.group(1));
        if (m.group(2) == null) {
            return value.asBoolean(false);
        }
        String op = m.group(2);
        String literal = m.group(3).strip();
        if (literal.equals("true") || literal.equals("false")) {
            return compareEq(op, value.isBoolean() && value.asBoolean() == Boolean.parseBoolean(literal));
        }
        if (literal.length() >= 2 && (literal.startsWith("'") && literal.endsWith("'") || literal.startsWith("\"") && literal.endsWith("\""))) {
            return compareEq(op, value.isTextual() && value.asText().equals(literal.substring(1, literal.length() - 1)));
        }
        double want;
        try {
            want = Double.parseDouble(literal);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("condition '" + text.strip() + "' is not supported by the simulator");
        }
        if (!value.isNumber() && !(value.isTextual() && value.asText().matches("-?\\d+(\\.\\d+)?"))) {
            throw new IllegalArgumentException("invalid operation: result" + m.group(1) + " is not a number");
        }
        double got = value.asDouble();
        return switch (op) {
            case "==" -> got == want;
            case "!=" -> got != want;
            case "<" -> got < want;
            case "<=" -> got <= want;
            case ">" -> got > want;
            default -> got >= want;
        };
    }

    private static boolean compareEq(String op, boolean equal) {
        return switch (op) {
            case "==" -> equal;
            case "!=" -> !equal;
            default -> throw new IllegalArgumentException("operator " + op + " needs numbers");
        };
    }

    private static JsonNode walk(JsonNode from, String path) {
        JsonNode at = from;
        Matcher m = STEP.matcher(path);
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return MissingNode.getInstance();
            }
            at = m.group(1) != null ? at.path(m.group(1)) : at.path(Integer.parseInt(m.group(2)));
            end = m.end();
        }
        return end == path.length() ? at : MissingNode.getInstance();
    }
}
