package dev.shipdeck.core.live;

import dev.shipdeck.core.kube.ClusterReader;
import dev.shipdeck.core.model.ReadGap;
import dev.shipdeck.core.records.ReleaseRecords;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The kinds an environment's informers watch: Deployments and ReplicaSets (required), Rollouts, Namespaces and HPAs
 * (optional: absent or refused is a gap, not a failure), and the Release records when asked for; and how to probe one.
 */
final class LiveKinds {
    /** A kind to inform: its apiVersion, kind, API path prefix, and whether the environment cannot be read without it. */
    record Kind(String apiVersion, String kind, String path, boolean required) {
        String plural() {
            return kind.equals("HorizontalPodAutoscaler") ? "horizontalpodautoscalers" : kind.toLowerCase(Locale.ROOT) + "s";
        }

        /** The gap a refusal (HTTP {@code code}; 0: no answer) of this kind leaves in the snapshot. */
        ReadGap gap(int code) {
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String kinds = kind.equals("HorizontalPodAutoscaler") ? "HorizontalPodAutoscalers" : kind + "s";
            String resource = group.isEmpty() ? plural() : plural() + "." + group;
            return code == 0 ? new ReadGap(kinds, resource, 0, "no answer") : ReadGap.http(kinds, resource, code);
        }

        /** Namespaces are cluster-wide; every other kind is watched in the environment's namespaces, if it names any. */
        List<String> namespaces(List<String> explicit) {
            return kind.equals("Namespace") ? List.of() : explicit;
        }
    }

    static final List<Kind> KINDS = List.of(
            new Kind("apps/v1", "Deployment", "/apis/apps/v1", true),
            new Kind("apps/v1", "ReplicaSet", "/apis/apps/v1", true),
            new Kind("argoproj.io/v1alpha1", "Rollout", "/apis/argoproj.io/v1alpha1", false),
            new Kind("v1", "Namespace", "/api/v1", false),
            new Kind("autoscaling/v2", "HorizontalPodAutoscaler", "/apis/autoscaling/v2", false));
    /** The Release records (deploy markers and the agent's history), informed when asked for and their CRD is there. */
    static final Kind RELEASES = new Kind(ReleaseRecords.API_VERSION, "Release", "/apis/" + ReleaseRecords.API_VERSION, false);

    private LiveKinds() {}

    /**
     * Argo Rollouts' AnalysisRuns: detail of a Rollout's update, informed when their CRD is there; a refusal leaves them
     * out without making the snapshot partial.
     */
    static final Kind ANALYSIS_RUNS = new Kind("argoproj.io/v1alpha1", "AnalysisRun", "/apis/argoproj.io/v1alpha1", false);

    /**
     * The kinds to inform; {@code desktopDetail}: also the Release records and the AnalysisRuns (what the desktop shows;
     * the agent, which writes the records and needs no analysis detail, watches without).
     */
    static List<Kind> of(boolean desktopDetail) {
        List<Kind> all = new ArrayList<>(KINDS);
        if (desktopDetail) all.add(ANALYSIS_RUNS);
        if (desktopDetail) all.add(RELEASES);
        return List.copyOf(all);
    }

    /**
     * Whether a kind can be listed where its informers will list it: cluster-wide, or in each explicit namespace (a
     * team may read its namespaces and nothing else). The first refusal, or OK.
     */
    static ClusterReader.ListResult probe(KubernetesClient client, Kind k, List<String> explicitNamespaces) throws Exception {
        List<String> nss = k.namespaces(explicitNamespaces);
        if (nss.isEmpty()) {
            return ClusterReader.get(client, k.path() + "/" + k.plural() + (k.kind().equals("Namespace") ? "" : "?limit=1"))
                    .get(30, TimeUnit.SECONDS);
        }
        ClusterReader.ListResult last = null;
        for (String ns : nss) {
            last = ClusterReader.get(client, k.path() + "/namespaces/" + ns + "/" + k.plural() + "?limit=1").get(30, TimeUnit.SECONDS);
            if (last.status() / 100 != 2) return last;
        }
        return last;
    }
}
