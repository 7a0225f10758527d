package dev.shipdeck.core.status;

import dev.shipdeck.core.json.J;
import com.fasterxml.jackson.databind.JsonNode;
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
import dev.shipdeck.core.workload.Conventions;
import dev.shipdeck.core.workload.WorkloadFacts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the raw objects of one environment (Deployments, Rollouts, their ReplicaSets, namespaces, HPAs) into
 * components, workloads with their versions, and the release history derived from ReplicaSets.
 */
public final class SnapshotBuilder {

    /**
     * The raw objects of one environment, as listed or as held by informers, and the kinds that could not be read
     * ({@code gaps}: the snapshot is partial). {@code analysisRuns}: Argo Rollouts' AnalysisRuns (none when their CRD
     * is absent or they cannot be read: they only add detail to a Rollout).
     */
    public record Inputs(Collection<JsonNode> deployments, Collection<JsonNode> rollouts, Collection<JsonNode> replicaSets,
                         Collection<JsonNode> namespaces, Collection<JsonNode> hpas, boolean rolloutsAvailable, List<ReadGap> gaps,
                         Collection<JsonNode> analysisRuns) {
        public Inputs {
            gaps = gaps == null ? List.of() : List.copyOf(gaps);
            analysisRuns = analysisRuns == null ? List.of() : analysisRuns;
        }

        /** Without AnalysisRuns. */
        public Inputs(Collection<JsonNode> deployments, Collection<JsonNode> rollouts, Collection<JsonNode> replicaSets,
                      Collection<JsonNode> namespaces, Collection<JsonNode> hpas, boolean rolloutsAvailable, List<ReadGap> gaps) {
            this(deployments, rollouts, replicaSets, namespaces, hpas, rolloutsAvailable, gaps, List.of());
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
            String owner = Conventions.controllerUid(rs);
            if (!owner.isEmpty()) rsByOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(rs);
        }
        Map<String, Labels> nsLabels = new HashMap<>();
        for (JsonNode ns : in.namespaces()) {
            nsLabels.put(J.str(ns, "metadata", "name"), Labels.parseLenient(Conventions.prefixed(WorkloadFacts.strings(J.at(ns, "metadata", "annotations")), "labels")));
        }
        Map<String, String> hpaTargets = new HashMap<>();
        for (JsonNode h : in.hpas()) {
            hpaTargets.put(J.str(h, "metadata", "namespace") + "/" + J.str(h, "spec", "scaleTargetRef", "kind") + "/"
                    + J.str(h, "spec", "scaleTargetRef", "name"), J.str(h, "metadata", "name"));
        }
        Map<String, List<JsonNode>> runsByOwner = new HashMap<>();
        for (JsonNode run : in.analysisRuns()) {
            String owner = Conventions.controllerUid(run);
            if (!owner.isEmpty()) runsByOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(run);
        }
        Map<String, List<Workload>> byComponent = new TreeMap<>();
        Map<String, Labels> componentLabels = new HashMap<>();
        List<Release> releases = new ArrayList<>();
        for (var kindAndList : List.of(Map.entry(WorkloadKind.DEPLOYMENT, in.deployments()), Map.entry(WorkloadKind.ROLLOUT, in.rollouts()))) {
            for (JsonNode w : kindAndList.getValue()) {
                String ns = J.str(w, "metadata", "namespace");
                if (!env.manages(ns)) continue;
                String component = Conventions.componentName(w);
                if (component.isEmpty()) continue;
                WorkloadFacts facts = WorkloadFacts.of(kindAndList.getKey(), w);
                Workload wl = workload(facts, rsByOwner.getOrDefault(facts.uid(), List.of()),
                        nsLabels.getOrDefault(ns, Labels.NONE), hpaTargets, runsByOwner.getOrDefault(facts.uid(), List.of()));
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

    private static Trigger trigger(Map<String, String> annotations) {
        return new Trigger(Conventions.prefixed(annotations, "pipeline-url"), Conventions.prefixed(annotations, "job-url"),
                Conventions.prefixed(annotations, "commit-sha"), Conventions.prefixed(annotations, "commit-url"),
                Trigger.commitTimeOrNull(Conventions.prefixed(annotations, "commit-time")));
    }

    /** The template version of the ReplicaSet with pod template hash {@code hash}, or empty when there is none. */
    private static String versionOf(List<JsonNode> rss, String hashKey, String hash) {
        for (JsonNode rs : rss) {
            if (J.label(rs, hashKey).equals(hash)) return Conventions.version(J.at(rs, "spec", "template"));
        }
        return "";
    }

    private static Workload workload(WorkloadFacts f, List<JsonNode> rss, Labels nsLabels, Map<String, String> hpas, List<JsonNode> runs) {
        String revKey = f.revisionKey();
        String hashKey = f.hashKey();
        WorkloadFacts.Canary canary = f.canary();
        String stableHash = canary != null ? canary.stableRS() : "";
        List<JsonNode> sorted = new ArrayList<>(rss.size());
        for (JsonNode rs : rss) {
            // ReplicaSets and their workload come from separate watches (and separate lists): a ReplicaSet of a
            // revision the copy of its workload has not reached yet is left out until the workload's update arrives
            if (f.revision() > 0 && J.num(rs, 0, "metadata", "annotations", revKey) > f.revision()) continue;
            sorted.add(rs);
        }
        sorted.sort(Comparator.comparingLong((JsonNode rs) -> J.num(rs, 0, "metadata", "annotations", revKey)).reversed());
        String currentHash = canary != null ? canary.currentPodHash() : "";
        if (!sorted.isEmpty()) {
            JsonNode newest = sorted.get(0);
            boolean newestIsTheTemplate = Conventions.version(J.at(newest, "spec", "template")).equals(f.templateVersion());
            if (currentHash.isEmpty()) {
                if (newestIsTheTemplate) currentHash = J.label(newest, hashKey);
            } else if (newestIsTheTemplate && !J.label(newest, hashKey).equals(currentHash) && !versionOf(sorted, hashKey, currentHash).equals(f.templateVersion())) {
                // the Rollout controller made the new template's ReplicaSet and has not written currentPodHash yet
                currentHash = J.label(newest, hashKey);
            }
        }
        List<VersionInfo> versions = new ArrayList<>();
        for (JsonNode rs : sorted) {
            String hash = J.label(rs, hashKey);
            List<String> images = new ArrayList<>();
            JsonNode containers = J.at(rs, "spec", "template", "spec", "containers");
            if (containers != null) containers.forEach(c -> images.add(c.path("image").asText()));
            Trigger trigger = trigger(WorkloadFacts.strings(J.at(rs, "metadata", "annotations")));
            versions.add(new VersionInfo(Conventions.version(J.at(rs, "spec", "template")), hash, J.num(rs, 0, "metadata", "annotations", revKey),
                    J.str(rs, "metadata", "name"), (int) J.num(rs, 0, "status", "replicas"), (int) J.num(rs, 0, "status", "readyReplicas"),
                    (int) J.num(rs, 0, "status", "availableReplicas"), J.time(rs, "metadata", "creationTimestamp"), images,
                    trigger.isEmpty() ? Trigger.NONE : trigger, hash.equals(currentHash), hash.equals(stableHash)));
        }
        Labels labels = Labels.parseLenient(Conventions.prefixed(f.annotations(), "labels")).plus(nsLabels.items());
        Map<String, String> annotations = new LinkedHashMap<>(f.annotations());
        annotations.remove(Conventions.LAST_APPLIED);
        long revision = f.revision();
        if (revision == 0 && !versions.isEmpty()) revision = versions.get(0).revision();
        return new Workload(f.kind(), f.namespace(), f.name(), f.uid(), f.templateVersion(), currentHash, revision,
                (int) f.replicas(), (int) f.readyReplicas(), (int) f.availableReplicas(), (int) f.updatedReplicas(),
                f.verdict(), labels, Conventions.disabledActions(f.annotations()), annotations, trigger(f.annotations()), versions,
                canary != null ? progress(f, versions, runs) : null, f.createdAt(), f.lastChange(), hpas.get(f.namespace() + "/" + f.kind().kind() + "/" + f.name()));
    }

    private static RolloutProgress progress(WorkloadFacts f, List<VersionInfo> versions, List<JsonNode> runs) {
        WorkloadFacts.Canary c = f.canary();
        StatusVerdict verdict = f.verdict();
        List<String> steps = new ArrayList<>();
        int weight = 0;
        int index = (int) c.currentStepIndex();
        for (int i = 0; i < c.steps().size(); i++) {
            WorkloadFacts.Step s = c.steps().get(i);
            steps.add(s.text());
            if (s.setWeight() >= 0 && (i < index || index < 0)) weight = s.setWeight();
        }
        if (c.fullyPromoted()) weight = 100;
        if (verdict.aborted() || verdict.status() == ReleaseStatus.CANCELLED) weight = 0;
        String pauseReason = c.pausedAtStep() ? c.pauseReasons().get(0) : f.paused() ? "PausedRollout" : "";
        RolloutProgress.BlueGreen blueGreen = null;
        WorkloadFacts.BlueGreen bg = f.blueGreen();
        if (bg != null) {
            blueGreen = new RolloutProgress.BlueGreen(bg.activeService(), bg.previewService(), bg.activeSelector(),
                    versionAt(versions, bg.activeSelector()), bg.previewSelector(), versionAt(versions, bg.previewSelector()),
                    bg.autoPromotionEnabled(), bg.autoPromotionSeconds(), bg.scaleDownDelaySeconds(), bg.previewReplicaCount());
            weight = 0; // blue-green has no traffic weight: the active service sends all of it to one ReplicaSet
        }
        return new RolloutProgress(steps, index < 0 ? steps.size() : index, weight, pauseReason,
                c.abort(), c.stableRS(), c.currentPodHash(), verdict.phase(), verdict.message(), f.paused(), blueGreen,
                AnalysisRuns.ownedBy(f.uid(), runs));
    }

    private static String versionAt(List<VersionInfo> versions, String hash) {
        if (hash.isEmpty()) return "";
        return versions.stream().filter(v -> v.templateHash().equals(hash)).map(VersionInfo::version).findFirst().orElse("");
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
            // the newest ReplicaSet stands for the rollout only when it has the workload's template: right after an
            // update, before the controller made the new one, it is the old release, not one that is running again
            boolean current = v.current() || i == asc.size() - 1 && asc.stream().noneMatch(VersionInfo::current)
                    && v.version().equals(w.version());
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
