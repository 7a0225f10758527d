package dev.shipdeck.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The part of Helm's template language the shipdeck-agent chart uses, so it can be checked without helm: text with
 * {@code {{ }}} actions and their {@code -} whitespace trimming, comments, {@code if}/{@code else}/{@code range}/{@code end},
 * pipelines of {@code .Values.x}, {@code $.Values.x}, {@code .} and literals through {@code quote}, {@code default},
 * {@code join}, {@code toYaml}, {@code indent} and {@code nindent}, as Go templates and Helm's functions define them.
 * Anything else is an error, so the chart cannot start using something this does not check.
 */
final class MiniHelm {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());
    private static final ObjectMapper JSON = new ObjectMapper();

    private MiniHelm() {}

    private sealed interface Node permits Text, Output, If, Range {}

    private record Text(String text) implements Node {}

    private record Output(String pipeline) implements Node {}

    private record If(String pipeline, List<Node> then, List<Node> otherwise) implements Node {}

    private record Range(String pipeline, List<Node> body, List<Node> otherwise) implements Node {}

    private record Token(boolean action, String text) {}

    /** The template rendered with {@code .Values} = {@code values}. */
    static String render(String template, JsonNode values) {
        List<Token> tokens = tokens(template);
        int[] pos = {0};
        List<Node> nodes = parse(tokens, pos, List.of());
        if (pos[0] != tokens.size()) throw new IllegalArgumentException("unexpected {{ " + tokens.get(pos[0]).text() + " }}");
        JsonNode root = JSON.createObjectNode().set("Values", values);
        StringBuilder out = new StringBuilder();
        execute(nodes, root, root, out);
        return out.toString();
    }

    private static List<Token> tokens(String template) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("{{", i);
            if (open < 0) {
                tokens.add(new Token(false, template.substring(i)));
                break;
            }
            int close = template.indexOf("}}", open);
            if (close < 0) throw new IllegalArgumentException("unclosed action at " + open);
            String text = template.substring(i, open);
            String body = template.substring(open + 2, close);
            boolean trimLeft = body.startsWith("- ");
            boolean trimRight = body.endsWith(" -");
            if (trimLeft) {
                text = text.stripTrailing();
                body = body.substring(2);
            }
            if (trimRight) body = body.substring(0, body.length() - 2);
            tokens.add(new Token(false, text));
            if (body.startsWith("/*")) {
                if (!body.endsWith("*/")) throw new IllegalArgumentException("a comment must end at the delimiter: {{" + body + "}}");
            } else {
                tokens.add(new Token(true, body.strip()));
            }
            i = close + 2;
            if (trimRight) {
                while (i < template.length() && Character.isWhitespace(template.charAt(i))) i++;
            }
        }
        return tokens;
    }

    /** Nodes up to (not including) one of the {@code stops} actions, which pos then points at. */
    private static List<Node> parse(List<Token> tokens, int[] pos, List<String> stops) {
        List<Node> nodes = new ArrayList<>();
        while (pos[0] < tokens.size()) {
            Token t = tokens.get(pos[0]);
            if (!t.action()) {
                if (!t.text().isEmpty()) nodes.add(new Text(t.text()));
                pos[0]++;
                continue;
            }
            String word = t.text().split("\\s+", 2)[0];
            if (stops.contains(word)) return nodes;
            pos[0]++;
            if (word.equals("if") || word.equals("range")) {
                String pipeline = t.text().substring(word.length()).strip();
                List<Node> body = parse(tokens, pos, List.of("else", "end"));
                List<Node> otherwise = List.of();
                if (pos[0] < tokens.size() && tokens.get(pos[0]).text().equals("else")) {
                    pos[0]++;
                    otherwise = parse(tokens, pos, List.of("end"));
                }
                if (pos[0] >= tokens.size() || !tokens.get(pos[0]).text().equals("end")) throw new IllegalArgumentException(word + " without end");
                pos[0]++;
                nodes.add(word.equals("if") ? new If(pipeline, body, otherwise) : new Range(pipeline, body, otherwise));
            } else if (word.equals("else") || word.equals("end") || word.equals("with") || word.equals("define")
                    || word.equals("template") || word.equals("include") || t.text().contains(":=")) {
                throw new IllegalArgumentException("not supported here: {{ " + t.text() + " }}");
            } else {
                nodes.add(new Output(t.text()));
            }
        }
        if (!stops.isEmpty()) throw new IllegalArgumentException("missing {{ end }}");
        return nodes;
    }

    private static void execute(List<Node> nodes, JsonNode dot, JsonNode root, StringBuilder out) {
        for (Node n : nodes) {
            if (n instanceof Text t) {
                out.append(t.text());
            } else if (n instanceof Output o) {
                out.append(string(pipeline(o.pipeline(), dot, root)));
            } else if (n instanceof If i) {
                execute(truthy(pipeline(i.pipeline(), dot, root)) ? i.then() : i.otherwise(), dot, root, out);
            } else if (n instanceof Range r) {
                JsonNode list = pipeline(r.pipeline(), dot, root);
                if (!truthy(list)) {
                    execute(r.otherwise(), dot, root, out);
                } else {
                    if (!list.isArray()) throw new IllegalArgumentException("range over a non-list: " + r.pipeline());
                    for (JsonNode element : list) execute(r.body(), element, root, out);
                }
            }
        }
    }

    private static JsonNode pipeline(String pipeline, JsonNode dot, JsonNode root) {
        JsonNode value = null;
        boolean first = true;
        for (String command : splitOutsideQuotes(pipeline, '|')) {
            List<String> words = splitOutsideQuotes(command.strip(), ' ').stream().filter(w -> !w.isEmpty()).toList();
            List<JsonNode> args = new ArrayList<>();
            for (String w : words.subList(1, words.size())) args.add(term(w, dot, root));
            if (first && words.size() == 1 && !isFunction(words.get(0))) {
                value = term(words.get(0), dot, root);
            } else {
                if (!first) args.add(value);
                value = call(words.get(0), args);
            }
            first = false;
        }
        return value;
    }

    private static boolean isFunction(String word) {
        return Character.isLetter(word.charAt(0));
    }

    private static JsonNode term(String word, JsonNode dot, JsonNode root) {
        if (word.startsWith("\"")) return TextNode.valueOf(unquote(word));
        if (word.matches("-?\\d+")) return IntNode.valueOf(Integer.parseInt(word));
        if (word.equals(".")) return dot;
        JsonNode from;
        String path;
        if (word.startsWith("$.")) {
            from = root;
            path = word.substring(2);
        } else if (word.startsWith(".")) {
            from = dot;
            path = word.substring(1);
        } else {
            throw new IllegalArgumentException("not supported here: " + word);
        }
        for (String key : path.split("\\.")) from = from.path(key);
        return from;
    }

    private static JsonNode call(String function, List<JsonNode> args) {
        return switch (function) {
            case "quote" -> TextNode.valueOf(json(TextNode.valueOf(string(one(function, args)))));
            case "default" -> {
                arity(function, args, 2);
                yield truthy(args.get(1)) ? args.get(1) : args.get(0);
            }
            case "join" -> {
                arity(function, args, 2);
                yield TextNode.valueOf(StreamSupport.stream(args.get(1).spliterator(), false).map(MiniHelm::string)
                        .collect(Collectors.joining(string(args.get(0)))));
            }
            case "toYaml" -> TextNode.valueOf(toYaml(one(function, args)));
            case "indent", "nindent" -> {
                arity(function, args, 2);
                String pad = " ".repeat(args.get(0).asInt());
                String indented = pad + string(args.get(1)).replace("\n", "\n" + pad);
                yield TextNode.valueOf(function.equals("nindent") ? "\n" + indented : indented);
            }
            default -> throw new IllegalArgumentException("function not supported here: " + function);
        };
    }

    private static JsonNode one(String function, List<JsonNode> args) {
        arity(function, args, 1);
        return args.get(0);
    }

    private static void arity(String function, List<JsonNode> args, int n) {
        if (args.size() != n) throw new IllegalArgumentException(function + " takes " + n + " arguments, got " + args.size());
    }

    /** Go templates' truth: false, 0, nil, and empty strings, lists and maps are false. */
    private static boolean truthy(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) return false;
        if (v.isBoolean()) return v.asBoolean();
        if (v.isNumber()) return v.asDouble() != 0;
        if (v.isTextual()) return !v.asText().isEmpty();
        return v.size() > 0;
    }

    /** What Go prints for a value: strings as they are, numbers and booleans in their usual form. */
    private static String string(JsonNode v) {
        if (v == null || v instanceof MissingNode || v.isNull()) return "";
        if (v.isValueNode()) return v.asText();
        return json(v);
    }

    /** Helm's toYaml: the value as YAML without the final newline. */
    private static String toYaml(JsonNode v) {
        try {
            String s = YAML.writeValueAsString(v);
            return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(JsonNode v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unquote(String literal) {
        try {
            return JSON.readValue(literal, String.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad string literal " + literal, e);
        }
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) quoted = !quoted;
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
