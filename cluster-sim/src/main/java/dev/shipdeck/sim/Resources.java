package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The resource types one simulated cluster serves: the built-in ones plus those its CRDs add at runtime. */
public final class Resources {
    public static final ResourceType NAMESPACES = new ResourceType("", "v1", "namespaces", "namespace", "Namespace",
            false, List.of("ns"), Set.of("status"), List.of());
    public static final ResourceType PODS = new ResourceType("", "v1", "pods", "pod", "Pod",
            true, List.of("po"), Set.of("status"), List.of("all"));
    public static final ResourceType SERVICE_ACCOUNTS = new ResourceType("", "v1", "serviceaccounts", "serviceaccount",
            "ServiceAccount", true, List.of("sa"), Set.of(), List.of());
    public static final ResourceType CONFIG_MAPS = new ResourceType("", "v1", "configmaps", "configmap", "ConfigMap",
            true, List.of("cm"), Set.of(), List.of());
    public static final ResourceType SECRETS = new ResourceType("", "v1", "secrets", "secret", "Secret",
            true, List.of(), Set.of(), List.of());
    public static final ResourceType SERVICES = new ResourceType("", "v1", "services", "service", "Service",
            true, List.of("svc"), Set.of("status"), List.of("all"));
    public static final ResourceType EVENTS = new ResourceType("", "v1", "events", "event", "Event",
            true, List.of("ev"), Set.of(), List.of());
    public static final ResourceType DEPLOYMENTS = new ResourceType("apps", "v1", "deployments", "deployment",
            "Deployment", true, List.of("deploy"), Set.of("status", "scale"), List.of("all"));
    public static final ResourceType REPLICA_SETS = new ResourceType("apps", "v1", "replicasets", "replicaset",
            "ReplicaSet", true, List.of("rs"), Set.of("status", "scale"), List.of("all"));
    public static final ResourceType JOBS = new ResourceType("batch", "v1", "jobs", "job", "Job",
            true, List.of(), Set.of("status"), List.of("all"));
    public static final ResourceType CRON_JOBS = new ResourceType("batch", "v1", "cronjobs", "cronjob", "CronJob",
            true, List.of("cj"), Set.of("status"), List.of("all"));
    public static final ResourceType HPAS = new ResourceType("autoscaling", "v2", "horizontalpodautoscalers",
            "horizontalpodautoscaler", "HorizontalPodAutoscaler", true, List.of("hpa"), Set.of("status"), List.of("all"));
    public static final ResourceType LEASES = new ResourceType("coordination.k8s.io", "v1", "leases", "lease", "Lease",
            true, List.of(), Set.of(), List.of());
    public static final ResourceType CRDS = new ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions",
            "customresourcedefinition", "CustomResourceDefinition", false, List.of("crd", "crds"), Set.of("status"), List.of("api-extensions"));
    public static final ResourceType ROLES = new ResourceType("rbac.authorization.k8s.io", "v1", "roles", "role", "Role",
            true, List.of(), Set.of(), List.of());
    public static final ResourceType ROLE_BINDINGS = new ResourceType("rbac.authorization.k8s.io", "v1", "rolebindings",
            "rolebinding", "RoleBinding", true, List.of(), Set.of(), List.of());
    public static final ResourceType CLUSTER_ROLES = new ResourceType("rbac.authorization.k8s.io", "v1", "clusterroles",
            "clusterrole", "ClusterRole", false, List.of(), Set.of(), List.of());
    public static final ResourceType CLUSTER_ROLE_BINDINGS = new ResourceType("rbac.authorization.k8s.io", "v1",
            "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, List.of(), Set.of(), List.of());
    public static final ResourceType SSAR = new ResourceType("authorization.k8s.io", "v1", "selfsubjectaccessreviews",
            "selfsubjectaccessreview", "SelfSubjectAccessReview", false, List.of(), Set.of(), List.of());
    public static final ResourceType SSRR = new ResourceType("authorization.k8s.io", "v1", "selfsubjectrulesreviews",
            "selfsubjectrulesreview", "SelfSubjectRulesReview", true, List.of(), Set.of(), List.of());
    public static final ResourceType SELF_SUBJECT_REVIEWS = new ResourceType("authentication.k8s.io", "v1",
            "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview", false, List.of(), Set.of(), List.of());

    private static final List<ResourceType> BUILT_IN = List.of(NAMESPACES, PODS, SERVICE_ACCOUNTS, CONFIG_MAPS, SECRETS,
            SERVICES, EVENTS, DEPLOYMENTS, REPLICA_SETS, JOBS, CRON_JOBS, HPAS, LEASES, CRDS, ROLES, ROLE_BINDINGS, CLUSTER_ROLES,
            CLUSTER_ROLE_BINDINGS, SSAR, SSRR, SELF_SUBJECT_REVIEWS);
    private static final Map<String, ResourceType> BUILT_IN_BY_KEY = new ConcurrentHashMap<>();

    static {
        BUILT_IN.forEach(t -> BUILT_IN_BY_KEY.put(t.key(), t));
    }

    private final Map<String, ResourceType> custom = new ConcurrentHashMap<>();

    /** A built-in type by {@code group/plural} (for code paths with no cluster at hand). */
    static ResourceType byKey(String key) {
        return BUILT_IN_BY_KEY.get(key);
    }

    public ResourceType lookup(String group, String version, String plural) {
        for (ResourceType t : all()) {
            if (t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural)) {
                return t;
            }
        }
        return null;
    }

    public ResourceType byGroupKind(String group, String kind) {
        for (ResourceType t : all()) {
            if (t.group().equals(group) && t.kind().equals(kind)) {
                return t;
            }
        }
        return null;
    }

    public ResourceType byStoreKey(String key) {
        ResourceType t = BUILT_IN_BY_KEY.get(key);
        if (t != null) return t;
        for (ResourceType c : custom.values()) {
            if (c.key().equals(key)) return c;
        }
        return null;
    }

    public Collection<ResourceType> all() {
        List<ResourceType> out = new ArrayList<>(BUILT_IN);
        out.addAll(custom.values());
        return out;
    }

    /** Group name → versions (preferred first), in a stable order, for discovery. */
    public Map<String, List<String>> groups() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (ResourceType t : all()) {
            if (t.group().isEmpty()) continue;
            List<String> vs = out.computeIfAbsent(t.group(), g -> new ArrayList<>());
            if (!vs.contains(t.version())) vs.add(t.version());
        }
        return out;
    }

    /** Registers (or replaces) the types a CRD defines; returns them. */
    public List<ResourceType> register(JsonNode crd) {
        List<ResourceType> added = new ArrayList<>();
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText();
        JsonNode names = spec.path("names");
        String plural = names.path("plural").asText();
        unregister(group, plural);
        for (JsonNode v : spec.path("versions")) {
            if (!v.path("served").asBoolean(true)) continue;
            List<String> shortNames = new ArrayList<>();
            names.path("shortNames").forEach(s -> shortNames.add(s.asText()));
            List<String> categories = new ArrayList<>();
            names.path("categories").forEach(s -> categories.add(s.asText()));
            Set<String> subs = new java.util.HashSet<>();
            v.path("subresources").fieldNames().forEachRemaining(subs::add);
            ResourceType t = new ResourceType(group, v.path("name").asText(), plural,
                    names.path("singular").asText(plural), names.path("kind").asText(),
                    !"Cluster".equals(spec.path("scope").asText("Namespaced")), shortNames, subs, categories);
            custom.put(group + "/" + plural + "@" + t.version(), t);
            added.add(t);
        }
        return added;
    }

    public void unregister(String group, String plural) {
        custom.keySet().removeIf(k -> k.startsWith(group + "/" + plural + "@"));
    }
}
