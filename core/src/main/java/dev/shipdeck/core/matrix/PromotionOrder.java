package dev.shipdeck.core.matrix;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Label;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The order versions move through the environments: one lane ({@code dev → staging → prod}) or several
 * ({@code dev → staging → prod-eu} and {@code dev → staging → prod-us}). Decided, in this order of preference:
 * <ol>
 *   <li>{@link Source#FILE}: the {@code promotion:} section of {@code environments.yaml} (one list of environment
 *       names, or a list of lanes);</li>
 *   <li>{@link Source#STAGES}: each environment's stage — its {@code stage} label (a number, or a word below), else its
 *       {@code tier} label, else a stage word in its name ({@code prod-eu}, {@code staging}); environments of the same
 *       stage sit side by side, each after the nearest lower stage;</li>
 *   <li>{@link Source#KUBECONFIG}: the environments' order (environments.yaml's {@code order}, else the kubeconfig's
 *       context order), as one lane.</li>
 * </ol>
 * The stage words: {@code dev, development, local, sandbox} (0) &lt; {@code test, testing, qa, ci, int, integration}
 * (1) &lt; {@code staging, stage, stg, uat, preprod, pre-prod, preview} (2) &lt; {@code prod, production, prd, live} (3).
 * Stages decide the order only when every environment has one; otherwise the environments' order does. Immutable.
 *
 * @param order every environment name, in column order (a lane's environments before the next's new ones)
 * @param previous for each environment that has one, the environment before it in its (first) lane
 */
public record PromotionOrder(List<String> order, Map<String, String> previous, Source source) {
    /** Where the order came from. */
    public enum Source { FILE, STAGES, KUBECONFIG }

    public static final int PRODUCTION_STAGE = 3;

    private static final Map<String, Integer> STAGE_WORDS = stageWords();

    public PromotionOrder {
        order = List.copyOf(order);
        previous = Map.copyOf(previous);
    }

    /**
     * The order of {@code environments} (in their display order), from {@code lanes} (the file's {@code promotion:},
     * may be empty) when given, else from their stages, else as listed.
     *
     * @throws ShipdeckException when a lane names an environment that does not exist, or names one twice
     */
    public static PromotionOrder of(List<Environment> environments, List<List<String>> lanes) {
        List<String> names = environments.stream().map(Environment::name).toList();
        if (lanes != null && !lanes.isEmpty()) return fromLanes(names, lanes);
        Map<String, Integer> stages = new LinkedHashMap<>();
        for (Environment e : environments) {
            Integer s = stage(e);
            if (s == null) break;
            stages.put(e.name(), s);
        }
        if (!environments.isEmpty() && stages.size() == environments.size()) return fromStages(stages);
        Map<String, String> prev = new LinkedHashMap<>();
        for (int i = 1; i < names.size(); i++) prev.put(names.get(i), names.get(i - 1));
        return new PromotionOrder(names, prev, Source.KUBECONFIG);
    }

    /** The environment before {@code environment} in its lane, or null (the first of a lane, or unknown). */
    public String previousOf(String environment) {
        return previous.get(environment);
    }

    /** The lanes, each from its first environment to its last (a shared start appears in each lane that has it). */
    public List<List<String>> laneLists() {
        Set<String> hasNext = new LinkedHashSet<>(previous.values());
        List<List<String>> out = new ArrayList<>();
        for (String end : order) {
            if (hasNext.contains(end)) continue;
            List<String> lane = new ArrayList<>();
            for (String e = end; e != null && !lane.contains(e); e = previous.get(e)) lane.add(0, e);
            out.add(List.copyOf(lane));
        }
        return List.copyOf(out);
    }

    /**
     * The lanes with {@code environment} moved one place earlier ({@code delta} -1) or later (+1) in each lane that has
     * it; unchanged where it is already first or last.
     */
    public List<List<String>> moved(String environment, int delta) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> lane : laneLists()) {
            List<String> l = new ArrayList<>(lane);
            int i = l.indexOf(environment);
            int j = i + Integer.signum(delta);
            if (i >= 0 && j >= 0 && j < l.size()) {
                l.set(i, l.get(j));
                l.set(j, environment);
            }
            out.add(List.copyOf(l));
        }
        return out;
    }

    /** The lanes as text: {@code dev → staging → prod-eu}, one line per lane end. */
    public List<String> lanes() {
        Set<String> hasNext = new LinkedHashSet<>(previous.values());
        List<String> out = new ArrayList<>();
        for (String end : order) {
            if (hasNext.contains(end)) continue;
            List<String> lane = new ArrayList<>();
            for (String e = end; e != null && !lane.contains(e); e = previous.get(e)) lane.add(0, e);
            out.add(String.join(" → ", lane));
        }
        return out;
    }

    /**
     * The stage of an environment: its {@code stage} label (a number or a stage word), else its {@code tier} label
     * (a stage word), else a stage word among the parts of its name (split at {@code - _ .}); null when none says.
     */
    public static Integer stage(Environment e) {
        for (String key : List.of("stage", "tier")) {
            for (Label l : e.labels().items()) {
                if (!l.key().equals(key)) continue;
                String v = l.value().toLowerCase(Locale.ROOT);
                if (key.equals("stage") && v.matches("\\d{1,3}")) return Integer.parseInt(v);
                Integer w = STAGE_WORDS.get(v);
                if (w != null) return w;
            }
        }
        String name = e.name().toLowerCase(Locale.ROOT);
        if (STAGE_WORDS.containsKey(name)) return STAGE_WORDS.get(name);
        for (String part : name.split("[-_.]")) {
            Integer w = STAGE_WORDS.get(part);
            if (w != null) return w;
        }
        return null;
    }

    /**
     * Whether commands into {@code e} need the typed confirmation of production: its stage is production
     * ({@code tier:prod}, {@code stage:production}, a name like {@code prod-eu}).
     */
    public static boolean production(Environment e) {
        Integer s = stage(e);
        return s != null && s >= PRODUCTION_STAGE;
    }

    private static PromotionOrder fromLanes(List<String> names, List<List<String>> lanes) {
        LinkedHashSet<String> order = new LinkedHashSet<>();
        Map<String, String> prev = new LinkedHashMap<>();
        for (List<String> lane : lanes) {
            Set<String> seen = new LinkedHashSet<>();
            String before = null;
            for (String e : lane) {
                if (!names.contains(e)) {
                    throw new ShipdeckException("the promotion order names environment \"" + e + "\", which does not exist (there are "
                            + String.join(", ", names) + ")", "use the environment names of environments.yaml or the kubeconfig's contexts");
                }
                if (!seen.add(e)) {
                    throw new ShipdeckException("the promotion lane " + String.join(" → ", lane) + " names " + e + " twice",
                            "list each environment once per lane");
                }
                order.add(e);
                if (before != null) prev.putIfAbsent(e, before);
                before = e;
            }
        }
        order.addAll(names); // environments no lane names come last, without a previous one
        return new PromotionOrder(new ArrayList<>(order), prev, Source.FILE);
    }

    private static PromotionOrder fromStages(Map<String, Integer> stages) {
        List<String> order = new ArrayList<>(stages.keySet());
        order.sort((a, b) -> Integer.compare(stages.get(a), stages.get(b))); // stable: display order within a stage
        Map<String, String> prev = new LinkedHashMap<>();
        for (String e : order) {
            int s = stages.get(e);
            // the first environment of the nearest lower stage
            String best = null;
            for (String c : order) {
                int cs = stages.get(c);
                if (cs < s && (best == null || cs > stages.get(best))) best = c;
            }
            if (best != null) prev.put(e, best);
        }
        return new PromotionOrder(order, prev, Source.STAGES);
    }

    private static Map<String, Integer> stageWords() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String w : List.of("dev", "development", "local", "sandbox")) m.put(w, 0);
        for (String w : List.of("test", "testing", "qa", "ci", "int", "integration")) m.put(w, 1);
        for (String w : List.of("staging", "stage", "stg", "uat", "preprod", "pre-prod", "preview")) m.put(w, 2);
        for (String w : List.of("prod", "production", "prd", "live")) m.put(w, 3);
        return Map.copyOf(m);
    }
}
