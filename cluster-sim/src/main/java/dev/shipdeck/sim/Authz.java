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
    /**
     * A policy rule as in RBAC ({@code *} matches anything; resources may name a subresource, {@code deployments/scale};
     * non-empty {@code resourceNames} limit it to requests for those object names).
     */
    public record Rule(Set<String> verbs, Set<String> apiGroups, Set<String> resources, Set<String> namespaces,
                       Set<String> resourceNames) {
        /** A rule for any object name. */
        public Rule(Set<String> verbs, Set<String> apiGroups, Set<String> resources, Set<String> namespaces) {
            this(verbs, apiGroups, resources, namespaces, Set.of());
        }

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
                    && (r.namespace().isEmpty() || match(namespaces, r.namespace()))
                    && (resourceNames.isEmpty() || resourceNames.contains(r.name()));
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

    static final String AUTHENTICATED = "system:authenticated";
    static final String UNAUTHENTICATED = "system:unauthenticated";
    static final String MASTERS = "system:masters";
    private static final String SA_PREFIX = "system:serviceaccount:";

    /** A request's impersonation headers that cannot be honoured at all (kube-apiserver answers a plain-text 500). */
    static final class ImpersonationError extends RuntimeException {
        ImpersonationError(String message) {
            super(message);
        }
    }

    private final Map<String, User> byToken = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Store store;

    public Authz(Store store) {
        this.store = store;
    }

    /** Adds a token user; like every authenticated user it is also in the group {@value #AUTHENTICATED}. */
    public void addUser(String token, User user) {
        byToken.put(token, new User(user.name(), withAuthenticated(user.groups()), user.rules()));
        revoked.remove(token);
    }

    private static List<String> withAuthenticated(List<String> groups) {
        if (groups.contains(AUTHENTICATED) || groups.contains(UNAUTHENTICATED)) return List.copyOf(groups);
        List<String> out = new ArrayList<>(groups);
        out.add(AUTHENTICATED);
        return List.copyOf(out);
    }

    /** The tokens of the user named {@code name}. */
    List<String> tokensOf(String name) {
        List<String> out = new ArrayList<>();
        byToken.forEach((token, user) -> {
            if (user.name().equals(name)) out.add(token);
        });
        return out;
    }

    /** The token stops working (401), as an expired credential would. */
    public void revoke(String token) {
        revoked.add(token);
    }

    public void restore(String token) {
        revoked.remove(token);
    }

    /** The user of a bearer token even while it is revoked (for the simulator's own control endpoint), or null. */
    User identify(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return byToken.get(authorizationHeader.substring(7).trim());
    }

    public User authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorizationHeader.substring(7).trim();
        return revoked.contains(token) ? null : byToken.get(token);
    }

    /**
     * The identity a request acts as, after kube-apiserver's impersonation filter: with no {@code Impersonate-*}
     * header the requester itself; otherwise every requested user, service account, group, uid and extra must be
     * allowed to the requester by the verb {@code impersonate} (403 naming the first that is not), and the request
     * is then the impersonated identity with exactly the groups asked for (a service account's groups when none are)
     * plus {@value #AUTHENTICATED}. The built-in users' own rules go with their names; {@value #MASTERS} may do
     * anything, as in Kubernetes.
     *
     * @param headers header name (any case) → values
     */
    public User impersonate(User requester, Map<String, List<String>> headers) {
        String asUser = "";
        String asUid = "";
        List<String> asGroups = new ArrayList<>();
        Map<String, List<String>> extras = new java.util.TreeMap<>();
        for (var h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
            if (name.equals("impersonate-user") && !h.getValue().isEmpty()) asUser = h.getValue().get(0);
            if (name.equals("impersonate-uid") && !h.getValue().isEmpty()) asUid = h.getValue().get(0);
            if (name.equals("impersonate-group")) asGroups.addAll(h.getValue());
            if (name.startsWith("impersonate-extra-")) {
                extras.computeIfAbsent(java.net.URLDecoder.decode(name.substring("impersonate-extra-".length()),
                        java.nio.charset.StandardCharsets.UTF_8), k -> new ArrayList<>()).addAll(h.getValue());
            }
        }
        if (asUser.isEmpty()) {
            if (asGroups.isEmpty() && extras.isEmpty() && asUid.isEmpty()) return requester;
            List<String> asked = new ArrayList<>();
            asGroups.forEach(g -> asked.add("{Group  " + g + "    }"));
            extras.forEach((k, vs) -> vs.forEach(v -> asked.add("{UserExtra  " + v + " authentication.k8s.io/v1  " + k + "}")));
            if (!asUid.isEmpty()) asked.add("{UID  " + asUid + " authentication.k8s.io/v1  }");
            throw new ImpersonationError("requested " + asked + " without impersonating a user");
        }
        boolean serviceAccount = asUser.startsWith(SA_PREFIX) && asUser.substring(SA_PREFIX.length()).split(":", -1).length == 2;
        if (serviceAccount) {
            String[] nsName = asUser.substring(SA_PREFIX.length()).split(":", -1);
            check(requester, new Request("impersonate", "", "serviceaccounts", "", nsName[0], nsName[1]));
        } else {
            check(requester, new Request("impersonate", "", "users", "", "", asUser));
        }
        for (String g : asGroups) {
            check(requester, new Request("impersonate", "", "groups", "", "", g));
        }
        for (var e : extras.entrySet()) {
            for (String v : e.getValue()) check(requester, new Request("impersonate", "authentication.k8s.io", "userextras", e.getKey(), "", v));
        }
        if (!asUid.isEmpty()) {
            check(requester, new Request("impersonate", "authentication.k8s.io", "uids", "", "", asUid));
        }
        List<String> groups = new ArrayList<>(asGroups);
        if (serviceAccount && asGroups.isEmpty()) {
            groups.add("system:serviceaccounts");
            groups.add("system:serviceaccounts:" + asUser.substring(SA_PREFIX.length()).split(":")[0]);
        }
        groups = withAuthenticated(groups);
        List<Rule> rules = new ArrayList<>();
        for (User u : byToken.values()) {
            if (u.name().equals(asUser)) {
                rules.addAll(u.rules());
                break;
            }
        }
        if (groups.contains(MASTERS)) rules.add(Rule.all());
        return new User(asUser, groups, List.copyOf(rules));
    }

    private void check(User requester, Request r) {
        if (!allowed(requester, r)) throw forbidden(requester, r);
    }

    /** kube-apiserver's 403 for a request the user may not make. */
    static ApiException forbidden(User user, Request a) {
        String what = a.resource() + (a.group().isEmpty() ? "" : "." + a.group());
        String subject = a.name().isEmpty() ? what : what + " \"" + a.name() + "\"";
        String scope = a.namespace().isEmpty() ? " at the cluster scope" : " in the namespace \"" + a.namespace() + "\"";
        return new ApiException(403, "Forbidden", subject + " is forbidden: User \"" + user.name() + "\" cannot " + a.verb()
                + " resource \"" + a.resourceWithSub() + "\" in API group \"" + a.group() + "\"" + scope);
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
            if (!r.has("resources")) continue; // a nonResourceURLs rule
            out.add(new Rule(set(r.path("verbs")), set(r.path("apiGroups")), set(r.path("resources")), Set.of(ns),
                    set(r.path("resourceNames"))));
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
