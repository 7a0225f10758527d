package dev.shipdeck.core.workload;

import dev.shipdeck.core.model.WorkloadKind;

/** The API paths of the workload kinds: {@code /apis/apps/v1/…/deployments}, {@code /apis/argoproj.io/v1alpha1/…/rollouts}. */
public final class WorkloadPaths {
    private WorkloadPaths() {}

    /** {@code /apis/apps/v1} or {@code /apis/argoproj.io/v1alpha1}. */
    public static String groupVersion(WorkloadKind kind) {
        return kind == WorkloadKind.DEPLOYMENT ? "/apis/apps/v1" : "/apis/argoproj.io/v1alpha1";
    }

    /** The apiVersion of its objects: {@code apps/v1} or {@code argoproj.io/v1alpha1}. */
    public static String apiVersion(WorkloadKind kind) {
        return groupVersion(kind).substring("/apis/".length());
    }

    /** The API group: {@code apps} or {@code argoproj.io}. */
    public static String group(WorkloadKind kind) {
        return kind == WorkloadKind.DEPLOYMENT ? "apps" : "argoproj.io";
    }

    /** The resource: {@code deployments} or {@code rollouts}. */
    public static String plural(WorkloadKind kind) {
        return kind == WorkloadKind.DEPLOYMENT ? "deployments" : "rollouts";
    }

    /** The collection in a namespace, or cluster-wide when {@code namespace} is null. */
    public static String collection(WorkloadKind kind, String namespace) {
        return groupVersion(kind) + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural(kind);
    }

    /** One workload. */
    public static String of(WorkloadKind kind, String namespace, String name) {
        return collection(kind, namespace) + "/" + name;
    }
}
