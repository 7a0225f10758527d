package dev.shipdeck.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.ReadGap;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.RolloutProgress;
import dev.shipdeck.core.model.StatusVerdict;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.model.WorkloadKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the raw objects of one environment (Deployments, Rollouts, their ReplicaSets, namespaces, HPAs) into
 * components, workloads with their versions, and the release history derived from ReplicaSets.
 */
public final class SnapshotBuilder {
    public static final String[] PREFIXES = {"shipdeck.dev/", "circleci.com/"};
    public static final String DEPLOY_REVISION = "deployment.kubernetes.io/revision";
    public static final String ROLLOUT_REVISION = "rollout.argoproj.io/revision";

    /**
     * The raw objects of one environment, as listed or as held by informers, and the kinds that could not be read
     * ({@code gaps}: the snapshot is partial).
     */
    public record Inputs(Collection<JsonNode> deployments, Collection<JsonNode> rollouts, Collection<JsonNode> replicaSets,
                         Collection<JsonNode> namespaces, Collection<JsonNode> hpas, boolean rolloutsAvailable, List<ReadGap> gaps) {
        public Inputs {
            gaps = gaps == null ? List.of() : List.copyOf(gaps);
        }

        /** Everything could be read. */
        public Inputs(Collection<JsonNode> deployments, Collection<JsonNode> rollouts, Collection<JsonNode> replicaSets,
                      Collection<JsonNode> namespaces, Collection<JsonNode> hpas, boolean rolloutsAvailable) {
            this(deployments, rollouts, replicaSets, namespaces, hpas, rolloutsAvailable, List.of());
        }
    }

    private SnapshotBuilder() {}

    public static EnvironmentSnapshot build(Environment env, ConnectionState conn, Inputs in) {
        Map<String, List<JsonNode>> rsByOwner = new HashMap<>();
        for (JsonNode rs : in.replicaSets()) {
            String owner = controllerUid(rs);
            if (!owner.isEmpty()) rsByOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(rs);
        }
        Map<String, Labels> nsLabels = new HashMap<>();
        for (JsonNode ns : in.namespaces()) {
            nsLabels.put(J.str(ns, "metadata", "name"), Labels.parseLenient(prefixed(ns, "labels", true)));
        }
        Map<String, String> hpaTargets = new HashMap<>();
        for (JsonNode h : in.hpas()) {
            hpaTargets.put(J.str(h, "metadata", "namespace") + "/" + J.str(h, "spec", "scaleTargetRef", "kind") + "/"
                    + J.str(h, "spec", "scaleTargetRef", "name"), J.str(h, "metadata", "name"));
        }
        Map<String, List<Workload>> byComponent = new TreeMap<>();
        Map<String, Labels> componentLabels = new HashMap<>();
        List<Release> releases = new ArrayList<>();
        for (var kindAndList : List.of(Map.entry(WorkloadKind.DEPLOYMENT, in.deployments()), Map.entry(WorkloadKind.ROLLOUT, in.rollouts()))) {
            for (JsonNode w : kindAndList.getValue()) {
                String ns = J.str(w, "metadata", "namespace");
                if (!env.manages(ns)) continue;
                String component = componentName(w);
                if (component.isEmpty()) continue;
                Workload wl = workload(kindAndList.getKey(), w, rsByOwner.getOrDefault(J.str(w, "metadata", "uid"), List.of()),
                        nsLabels.getOrDefault(ns, Labels.NONE), hpaTargets);
                byComponent.computeIfAbsent(component, k -> new ArrayList<>()).add(wl);
                componentLabels.merge(component, wl.labels(), (a, b) -> a.plus(b.items()));
                releases.addAll(releases(env.name(), component, wl));
            }
        }
        List<Component> components = new ArrayList<>();
        byComponent.forEach((name, wls) -> {
            wls.sort(Comparator.comparing(Workload::namespace).thenComparing(Workload::name));
            components.add(new Component(name, env.name(), wls, componentLabels.get(name)));
        });
        releases.sort(Comparator.comparing(Release::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed());
        return new EnvironmentSnapshot(env, conn, components, releases, in.rolloutsAvailable(), Instant.now(), in.gaps());
    }

    /** The component a workload belongs to: the label on the workload, else on its pod template. */
    public static String componentName(JsonNode w) {
        for (String p : PREFIXES) {
            String v = J.label(w, p + "component-name");
            if (!v.isEmpty()) return v;
            v = J.str(w, "spec", "template", "metadata", "labels", p + "component-name");
            if (!v.isEmpty()) return v;
        }
        return "";
    }

    private static String prefixed(JsonNode obj, String suffix, boolean annotation) {
        for (String p : PREFIXES) {
            String v = annotation ? J.annotation(obj, p + suffix) : J.label(obj, p + suffix);
            if (!v.isEmpty()) return v;
        }
        return "";
    }

    /** The version of a pod template: the version label, else the first container's image tag. */
    public static String version(JsonNode template) {
        for (String p : PREFIXES) {
            String v = J.str(template, "metadata", "labels", p + "version");
            if (!v.isEmpty()) return v;
        }
        JsonNode containers = J.at(template, "spec", "containers");
        if (containers != null && containers.size() > 0) {
            return imageTag(containers.get(0).path("image").asText(""));
        }
        return "";
    }

    static String imageTag(String image) {
        String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = noDigest.lastIndexOf('/');
        int colon = noDigest.lastIndexOf(':');
        if (colon > slash) return noDigest.substring(colon + 1);
        return image.contains("@") ? image.substring(image.indexOf('@') + 1, Math.min(image.length(), image.indexOf('@') + 20)) : "latest";
    }

    public static String controllerUid(JsonNode obj) {
        JsonNode refs = J.at(obj, "metadata", "ownerReferences");
        if (refs == null) return "";
        for (JsonNode r : refs) {
            if (r.path("controller").asBoolean(false)) return r.path("uid").asText("");
        }
        return "";
    }

    static Set<Action> disabledActions(JsonNode w) {
        Set<Action> off = EnumSet.noneOf(Action.class);
        for (Action a : Action.values()) {
            for (String p : PREFIXES) {
                if ("false".equalsIgnoreCase(J.annotation(w, p + a.annotationWord() + "-enabled").trim())) {
                    off.add(a);
                }
            }
        }
        return off;
    }

    static Trigger trigger(JsonNode obj) {
        return new Trigger(prefixed(obj, "pipeline-url", true), prefixed(obj, "job-url", true),
                prefixed(obj, "commit-sha", true), prefixed(obj, "commit-url", true));
    }

    private static Workload workload(WorkloadKind kind, JsonNode w, List<JsonNode> rss, Labels nsLabels, Map<String, String> hpas) {
        String ns = J.str(w, "metadata", "namespace");
        String name = J.str(w, "metadata", "name");
        StatusVerdict verdict = kind == WorkloadKind.DEPLOYMENT ? StatusRules.deployment(w) : StatusRules.rollout(w);
        String revKey = kind == WorkloadKind.DEPLOYMENT ? DEPLOY_REVISION : ROLLOUT_REVISION;
        String hashKey = kind == WorkloadKind.DEPLOYMENT ? "pod-template-hash" : "rollouts-pod-template-hash";
        String stableHash = kind == WorkloadKind.ROLLOUT ? J.str(w, "status", "stableRS") : "";
        JsonNode template = J.at(w, "spec", "template");
        String templateVersion = version(template);
        List<JsonNode> sorted = new ArrayList<>(rss);
        sorted.sort(Comparator.comparingLong((JsonNode rs) -> J.num(rs, 0, "metadata", "annotations", revKey)).reversed());
        String currentHash = kind == WorkloadKind.ROLLOUT ? J.str(w, "status", "currentPodHash") : "";
        if (currentHash.isEmpty() && !sorted.isEmpty()) {
            JsonNode newest = sorted.get(0);
            if (version(J.at(newest, "spec", "template")).equals(templateVersion)) currentHash = J.label(newest, hashKey);
        }
        List<VersionInfo> versions = new ArrayList<>();
        for (JsonNode rs : sorted) {
            String hash = J.label(rs, hashKey);
            List<String> images = new ArrayList<>();
            JsonNode containers = J.at(rs, "spec", "template", "spec", "containers");
            if (containers != null) containers.forEach(c -> images.add(c.path("image").asText()));
            versions.add(new VersionInfo(version(J.at(rs, "spec", "template")), hash, J.num(rs, 0, "metadata", "annotations", revKey),
                    J.str(rs, "metadata", "name"), (int) J.num(rs, 0, "status", "replicas"), (int) J.num(rs, 0, "status", "readyReplicas"),
                    (int) J.num(rs, 0, "status", "availableReplicas"), J.time(rs, "metadata", "creationTimestamp"), images,
                    trigger(rs).isEmpty() ? Trigger.NONE : trigger(rs), hash.equals(currentHash), hash.equals(stableHash)));
        }
        Labels labels = Labels.parseLenient(prefixed(w, "labels", true)).plus(nsLabels.items());
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode ann = J.at(w, "metadata", "annotations");
        if (ann != null) {
            ann.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("kubectl.kubernetes.io/last-applied-configuration")) annotations.put(e.getKey(), e.getValue().asText());
            });
        }
        long revision = J.num(w, 0, "metadata", "annotations", revKey);
        if (revision == 0 && !versions.isEmpty()) revision = versions.get(0).revision();
        return new Workload(kind, ns, name, J.str(w, "metadata", "uid"), templateVersion, currentHash, revision,
                (int) J.num(w, 1, "spec", "replicas"), (int) J.num(w, 0, "status", "readyReplicas"),
                (int) J.num(w, 0, "status", "availableReplicas"), (int) J.num(w, 0, "status", "updatedReplicas"),
                verdict, labels, disabledActions(w), annotations, trigger(w), versions,
                kind == WorkloadKind.ROLLOUT ? progress(w, verdict) : null, J.time(w, "metadata", "creationTimestamp"),
                lastChange(w), hpas.get(ns + "/" + kind.kind() + "/" + name));
    }

    private static Instant lastChange(JsonNode w) {
        Instant latest = null;
        JsonNode conds = J.at(w, "status", "conditions");
        if (conds != null) {
            for (JsonNode c : conds) {
                Instant t = J.time(c, "lastUpdateTime");
                if (t == null) t = J.time(c, "lastTransitionTime");
                if (t != null && (latest == null || t.isAfter(latest))) latest = t;
            }
        }
        return latest;
    }

    private static RolloutProgress progress(JsonNode r, StatusVerdict verdict) {
        List<String> steps = new ArrayList<>();
        JsonNode stepNodes = J.at(r, "spec", "strategy", "canary", "steps");
        int weight = 0;
        int index = (int) J.num(r, -1, "status", "currentStepIndex");
        if (stepNodes != null) {
            int i = 0;
            for (JsonNode s : stepNodes) {
                if (s.has("setWeight")) {
                    steps.add("setWeight " + s.path("setWeight").asInt());
                    if (i < index || index < 0) weight = s.path("setWeight").asInt();
                } else if (s.has("pause")) {
                    String d = s.path("pause").path("duration").asText("");
                    steps.add(d.isEmpty() ? "pause" : "pause " + d);
                } else {
                    steps.add(s.fieldNames().hasNext() ? s.fieldNames().next() : "step");
                }
                i++;
            }
        }
        String stable = J.str(r, "status", "stableRS");
        String current = J.str(r, "status", "currentPodHash");
        if (!stable.isEmpty() && stable.equals(current)) weight = 100;
        if (verdict.aborted() || verdict.status() == ReleaseStatus.CANCELLED) weight = 0;
        JsonNode pcs = J.at(r, "status", "pauseConditions");
        String pauseReason = pcs != null && pcs.size() > 0 ? pcs.get(0).path("reason").asText() : J.bool(r, "spec", "paused") ? "PausedRollout" : "";
        return new RolloutProgress(steps, index < 0 ? steps.size() : index, weight, pauseReason,
                J.bool(r, "status", "abort"), stable, current, verdict.phase(), verdict.message());
    }

    /** The release history of one workload, derived from its ReplicaSets (one release per template). */
    static List<Release> releases(String env, String component, Workload w) {
        List<Release> out = new ArrayList<>();
        List<VersionInfo> asc = new ArrayList<>(w.versions());
        asc.sort(Comparator.comparingLong(VersionInfo::revision));
        String previous = "";
        Instant lastStart = null;
        for (int i = 0; i < asc.size(); i++) {
            VersionInfo v = asc.get(i);
            boolean current = v.current() || i == asc.size() - 1 && asc.stream().noneMatch(VersionInfo::current);
            Instant started = v.createdAt();
            boolean rollback = lastStart != null && started != null && started.isBefore(lastStart);
            if (rollback && current && w.lastChange() != null && w.lastChange().isAfter(lastStart)) {
                started = w.lastChange();
            } else if (rollback) {
                started = lastStart.plusSeconds(1);
            }
            // a ReplicaSet does not record when its rollout finished: older releases have no known end
            Instant ended = null;
            ReleaseStatus status = ReleaseStatus.SUCCESS;
            String message = "superseded by a newer version";
            if (current) {
                status = w.verdict().status();
                message = w.verdict().message();
                ended = status.terminal() ? (w.lastChange() != null ? w.lastChange() : started) : null;
                if (ended != null && started != null && ended.isBefore(started)) ended = started;
            }
            Trigger trigger = current && !w.trigger().isEmpty() ? w.trigger() : v.trigger();
            out.add(new Release(env + "/" + w.namespace() + "/" + w.kind().kind() + "/" + w.name() + "/" + v.templateHash(),
                    component, env, w.namespace(), w.kind(), w.name(), v.version(), previous, w.kind().releaseType(), status,
                    message, started, ended, trigger, "derived", rollback, v.templateHash(), v.revision()));
            previous = v.version();
            if (started != null) lastStart = started;
        }
        return out;
    }
}
