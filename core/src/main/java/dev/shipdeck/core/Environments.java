package dev.shipdeck.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.matrix.PromotionOrder;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Labels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environments Shipdeck shows: one per kubeconfig context by default (name = context name, all namespaces),
 * refined by an optional {@code environments.yaml}:
 * <pre>
 * environments:
 *   - context: prod-eu          # required
 *     name: prod-eu             # default: the context name
 *     displayName: Production EU
 *     namespaces: [payments, "team-*"]   # default: all
 *     labels: ["tier:prod"]
 *     order: 1
 * promotion:                    # optional: the promotion order, one lane ...
 *   [dev, staging, prod-eu]
 * # ... or several lanes:  promotion: [[dev, staging, prod-eu], [dev, staging, prod-us]]
 * </pre>
 * Contexts the file does not mention are still listed, after those it does. Without {@code promotion:} the order
 * comes from the environments' stages, else their order ({@link PromotionOrder}).
 */
public final class Environments {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Environments() {}

    /** The default file for this process's environment variables: see {@link #defaultFile(Map)}. */
    public static Path defaultFile() {
        return defaultFile(System.getenv());
    }

    /**
     * The default file: {@code $SHIPDECK_CONFIG_DIR/environments.yaml}, else {@code $XDG_CONFIG_HOME/shipdeck/environments.yaml},
     * else {@code ~/.config/shipdeck/environments.yaml} with {@code ~} found as kubectl finds it ({@link Home}). The
     * desktop keeps its settings in the same folder.
     */
    public static Path defaultFile(Map<String, String> env) {
        String dir = env.get("SHIPDECK_CONFIG_DIR");
        if (dir != null && !dir.isBlank()) return Path.of(dir, "environments.yaml");
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg == null || xdg.isBlank() ? Home.of(env).resolve(".config") : Path.of(xdg);
        return base.resolve("shipdeck").resolve("environments.yaml");
    }

    public static List<Environment> resolve(Kubeconfig kc, Path file) {
        Map<String, Environment> byContext = new LinkedHashMap<>();
        if (file != null && Files.isRegularFile(file)) {
            for (Environment e : parse(file)) {
                if (!kc.contextNames().contains(e.context())) {
                    throw new ShipdeckException("environment \"" + e.name() + "\" in " + file + " uses context \"" + e.context()
                            + "\", which the kubeconfig does not have", "fix the file or the kubeconfig");
                }
                byContext.putIfAbsent(e.context(), e);
            }
        }
        List<Environment> out = new ArrayList<>(byContext.values());
        out.sort(Comparator.comparingInt(Environment::order));
        for (String ctx : kc.contextNames()) {
            if (!byContext.containsKey(ctx)) out.add(Environment.ofContext(ctx));
        }
        return out;
    }

    /**
     * The promotion order of {@code environments} (as {@link #resolve} gave them): the file's {@code promotion:} when
     * it has one, else from their stages or their order ({@link PromotionOrder#of}).
     */
    public static PromotionOrder promotion(List<Environment> environments, Path file) {
        List<List<String>> lanes = file != null && Files.isRegularFile(file) ? parseLanes(file) : List.of();
        try {
            return PromotionOrder.of(environments, lanes);
        } catch (ShipdeckException e) {
            throw new ShipdeckException(file + ": " + e.getMessage(), e.hint());
        }
    }

    /**
     * Writes {@code lanes} as the file's {@code promotion:} (one lane as {@code [dev, staging, prod-eu]}, several as a
     * list of lists), leaving every other line — environments, labels, comments — as it was; creates the file when there
     * is none. The file is replaced in one step (a reader never sees half of it). Blocking: call it off the UI thread.
     */
    public static void writePromotion(Path file, List<List<String>> lanes) {
        String value = lanes.size() == 1 ? flow(lanes.get(0))
                : "[" + String.join(", ", lanes.stream().map(Environments::flow).toList()) + "]";
        String line = "promotion: " + value;
        try {
            List<String> kept = new ArrayList<>();
            boolean replaced = false;
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (!l.startsWith("promotion:")) {
                        kept.add(l);
                        continue;
                    }
                    // the old value: this line and the indented or list lines under it
                    while (i + 1 < lines.size() && (lines.get(i + 1).startsWith(" ") || lines.get(i + 1).startsWith("-")
                            || lines.get(i + 1).startsWith("\t"))) {
                        i++;
                    }
                    if (!replaced) kept.add(line);
                    replaced = true;
                }
            }
            if (!replaced) kept.add(line);
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".environments", ".yaml");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ShipdeckException("cannot write the promotion order to " + file + ": " + e.getMessage(),
                    "check that the folder is writable, or set promotion: in the file by hand");
        }
        parseLanes(file); // what was written reads back
    }

    private static String flow(List<String> lane) {
        return "[" + String.join(", ", lane) + "]";
    }

    /** The {@code promotion:} lanes of the file: a list of names is one lane, a list of lists several. */
    static List<List<String>> parseLanes(Path file) {
        JsonNode root = readTree(file);
        List<List<String>> lanes = new ArrayList<>();
        if (root == null || root.path("promotion").isMissingNode() || root.path("promotion").isNull()) return lanes;
        JsonNode p = root.path("promotion");
        if (!p.isArray()) {
            throw new ShipdeckException(file + ": promotion must be a list of environment names, or a list of such lists",
                    "write promotion: [dev, staging, prod]");
        }
        boolean nested = p.size() > 0 && p.get(0).isArray();
        List<JsonNode> laneNodes = new ArrayList<>();
        if (nested) p.forEach(laneNodes::add);
        else laneNodes.add(p);
        for (JsonNode lane : laneNodes) {
            List<String> names = new ArrayList<>();
            if (!lane.isArray()) {
                throw new ShipdeckException(file + ": promotion mixes lanes and names", "write each lane as a list: [[dev, staging, prod-eu], [dev, staging, prod-us]]");
            }
            for (JsonNode n : lane) {
                if (!n.isTextual() || n.asText().isBlank()) {
                    throw new ShipdeckException(file + ": promotion lane entries must be environment names, got " + n,
                            "write promotion: [dev, staging, prod]");
                }
                names.add(n.asText());
            }
            if (!names.isEmpty()) lanes.add(names);
        }
        return lanes;
    }

    private static JsonNode readTree(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ShipdeckException("cannot read " + file + ": " + e.getMessage().split("\n")[0], "fix the file's YAML");
        }
    }

    static List<Environment> parse(Path file) {
        JsonNode root = readTree(file);
        List<Environment> out = new ArrayList<>();
        if (root == null) return out;
        int i = 0;
        for (JsonNode n : root.path("environments")) {
            String ctx = n.path("context").asText("");
            if (ctx.isEmpty()) {
                throw new ShipdeckException(file + ": environment #" + (i + 1) + " has no context", "add context: <kubeconfig context>");
            }
            List<String> ns = new ArrayList<>();
            for (JsonNode x : n.path("namespaces")) {
                String name = x.asText();
                // a glob (team-*) may only hold what a namespace name may, and '*'
                String problem = name.equals("*") ? null : dev.shipdeck.core.kube.KubeNames.namespaceProblem(name.replace("*", "x"));
                if (problem != null) {
                    throw new ShipdeckException(file + ": environment #" + (i + 1) + " (" + ctx + "): " + problem.replace(name.replace("*", "x"), name),
                            "list namespace names or globs such as team-*");
                }
                ns.add(name);
            }
            List<String> labels = new ArrayList<>();
            n.path("labels").forEach(x -> labels.add(x.asText()));
            out.add(new Environment(n.path("name").asText(ctx), ctx, n.path("displayName").asText(""), ns,
                    Labels.parse(String.join(",", labels)), n.path("order").asInt(++i)));
        }
        return out;
    }
}
