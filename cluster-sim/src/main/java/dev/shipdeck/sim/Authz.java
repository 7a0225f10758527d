package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authentication by bearer token and authorization by rules: each simulated user has static rules, and
 * RBAC objects (Role/ClusterRole + bindings) stored in the cluster grant more, as in Kubernetes.
 */
public final class Authz {
    /** A policy rule as in RBAC ({@code *} matches anything; resources may name a subresource, {@code deployments/scale}). */
    public record Rule(Set<String> verbs, Set<String> apiGroups, Set<String> resources, Set<String> namespaces) {
        public static Rule all() {
            return new Rule(Set.of("*"), Set.of("*"), Set.of("*"), Set.of("*"));
        }

        public static Rule readOnly() {
            return new Rule(Set.of("get", "list", "watch"), Set.of("*"), Set.of("*"), Set.of("*"));
        }

        boolean allows(Request r) {
            return match(verbs, r.verb()) && match(apiGroups, r.group())
                    && (match(resources, r.resourceWithSub()) || resources.contains(r.resource() + "/*")
                        || r.subresource().isEmpty() && match(resources, r.resource()))
                    && (r.namespace().isEmpty() || match(namespaces, r.namespace()));
        }

        private static boolean match(Set<String> set, String v) {
            return set.contains("*") || set.contains(v);
        }
    }

    /** A simulated identity. */
    public record User(String name, List<String> groups, List<Rule> rules) {}

    /** What a request wants to do. */
    public record Request(String verb, String group, String resource, String subresource, String namespace, String name) {
        String resourceWithSub() {
            return subresource.isEmpty() ? resource : resource + "/" + subresource;
        }
    }

    private final Map<String, User> byToken = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Store store;

    public Authz(Store store) {
        this.store = store;
    }

    public void addUser(String token, User user) {
        byToken.put(token, user);
        revoked.remove(token);
    }

    /** The token stops working (401), as an expired credential would. */
    public void revoke(String token) {
        revoked.add(token);
    }

    public void restore(String token) {
        revoked.remove(token);
    }

    public User authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorizationHeader.substring(7).trim();
        return revoked.contains(token) ? null : byToken.get(token);
    }

    public boolean allowed(User user, Request r) {
        for (Rule rule : user.rules()) {
            if (rule.allows(r)) {
                return true;
            }
        }
        return rbacAllows(user, r);
    }

    private boolean rbacAllows(User user, Request r) {
        for (ObjectNode b : store.list(Resources.CLUSTER_ROLE_BINDINGS, null, o -> true).items()) {
            if (bound(b, user)) {
                for (Rule rule : rulesOf(roleOf(b, ""), "*")) {
                    if (rule.allows(r)) return true;
                }
            }
        }
        if (r.namespace().isEmpty()) {
            return false;
        }
        for (ObjectNode b : store.list(Resources.ROLE_BINDINGS, r.namespace(), o -> true).items()) {
            if (bound(b, user)) {
                for (Rule rule : rulesOf(roleOf(b, r.namespace()), r.namespace())) {
                    if (rule.allows(r)) return true;
                }
            }
        }
        return false;
    }

    private JsonNode roleOf(JsonNode binding, String ns) {
        String kind = binding.path("roleRef").path("kind").asText();
        String name = binding.path("roleRef").path("name").asText();
        return "ClusterRole".equals(kind) ? store.find(Resources.CLUSTER_ROLES, null, name)
                : store.find(Resources.ROLES, ns, name);
    }

    private static boolean bound(JsonNode binding, User user) {
        for (JsonNode s : binding.path("subjects")) {
            String kind = s.path("kind").asText();
            String name = s.path("name").asText();
            if ("User".equals(kind) && name.equals(user.name())) return true;
            if ("Group".equals(kind) && user.groups().contains(name)) return true;
            if ("ServiceAccount".equals(kind)
                    && user.name().equals("system:serviceaccount:" + s.path("namespace").asText() + ":" + name)) {
                return true;
            }
        }
        return false;
    }

    private static List<Rule> rulesOf(JsonNode role, String ns) {
        List<Rule> out = new ArrayList<>();
        if (role == null) return out;
        for (JsonNode r : role.path("rules")) {
            out.add(new Rule(set(r.path("verbs")), set(r.path("apiGroups")), set(r.path("resources")), Set.of(ns)));
        }
        return out;
    }

    private static Set<String> set(JsonNode arr) {
        Set<String> s = new java.util.HashSet<>();
        arr.forEach(x -> s.add(x.asText()));
        return s;
    }

    /** Answers a SelfSubjectAccessReview in place. */
    public ObjectNode review(User user, ObjectNode ssar) {
        JsonNode ra = ssar.path("spec").path("resourceAttributes");
        ObjectNode status = Json.with(ssar, "status");
        if (ra.isMissingNode()) {
            status.put("allowed", true);
            return ssar;
        }
        Request req = new Request(ra.path("verb").asText(), ra.path("group").asText(), ra.path("resource").asText(),
                ra.path("subresource").asText(), ra.path("namespace").asText(), ra.path("name").asText());
        boolean ok = allowed(user, req);
        status.put("allowed", ok);
        if (!ok) {
            status.put("reason", "user " + user.name() + " may not " + req.verb() + " "
                    + req.resourceWithSub() + (req.group().isEmpty() ? "" : "." + req.group()));
        }
        return ssar;
    }

    /** A SelfSubjectRulesReview's status: the static rules of the user, flattened. */
    public ObjectNode rules(User user, ObjectNode ssrr) {
        ObjectNode status = Json.with(ssrr, "status");
        ArrayNode rr = status.putArray("resourceRules");
        for (Rule r : user.rules()) {
            ObjectNode o = rr.addObject();
            r.verbs().forEach(o.putArray("verbs")::add);
            r.apiGroups().forEach(o.putArray("apiGroups")::add);
            r.resources().forEach(o.putArray("resources")::add);
        }
        status.putArray("nonResourceRules").addObject().putArray("verbs").add("get");
        status.put("incomplete", false);
        return ssrr;
    }
}
