package dev.shipdeck.core.commands;

import dev.shipdeck.core.json.J;
import dev.shipdeck.core.kube.AccessReview;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.model.Environment;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this user may send a write (SelfSubjectAccessReview, kept 30 seconds) and who the API server says the user
 * is (SelfSubjectReview, kept ten minutes). Times are System.nanoTime: the injected clock may be fixed.
 */
final class AccessReviews {
    private static final long REVIEW_TTL_NANOS = 30_000_000_000L;
    /** How long a SelfSubjectReview answer (or a server's "I have none") is kept: credentials may be replaced. */
    private static final long IDENTITY_TTL_NANOS = 600_000_000_000L;

    /** An answer and when it was fetched. */
    private record Cached<T>(T value, long atNanos) {
        boolean fresh(long ttl) {
            return System.nanoTime() - atNanos < ttl;
        }
    }

    private final KubeClients clients;
    private final Map<String, Cached<String>> identities = new ConcurrentHashMap<>();
    private final Map<String, Cached<Availability>> reviews = new ConcurrentHashMap<>();

    AccessReviews(KubeClients clients) {
        this.clients = clients;
    }

    /**
     * The user the API server sees, else the kubeconfig user's name. A server answer is kept for ten minutes, and so
     * is a server that has no SelfSubjectReview (404) or refuses it (403); after a failure that may pass (5xx, 429, no
     * connection) the fallback is used for this call only and the next call asks again, so audit records name the
     * right user as soon as the server answers.
     */
    String whoAmI(Environment env) {
        String ctx = env.context();
        Cached<String> cached = identities.get(ctx);
        if (cached != null && cached.fresh(IDENTITY_TTL_NANOS)) return cached.value();
        String user = clients.kubeconfig().context(ctx).user();
        String fallback = user.isEmpty() ? "unknown" : user;
        try {
            KubeApi api = new KubeApi(clients.clientNow(ctx));
            KubeApi.Response resp = api.send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "application/json",
                    "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
            String name = resp.ok() ? J.str(resp.body(), "status", "userInfo", "username") : "";
            if (!name.isEmpty()) {
                identities.put(ctx, new Cached<>(name, System.nanoTime()));
                return name;
            }
            if (resp.ok() || resp.code() == 404 || resp.code() == 403) {
                // older servers have no SelfSubjectReview: the kubeconfig's user name is the best there is
                identities.put(ctx, new Cached<>(fallback, System.nanoTime()));
            }
        } catch (RuntimeException unreachable) {
            // not cached: ask again next time
        }
        return fallback;
    }

    /** The review of the write a planned request makes: {@code /apis/<group>/<version>/namespaces/<ns>/<resource>/<name>[/<sub>]}. */
    Availability mayPatch(Environment env, KubeApi api, PlannedRequest p) {
        String[] s = p.path().split("/");
        return mayPatch(env, api, s[2], s[6], s.length > 8 ? s[8] : "", s[5], s[7]);
    }

    Availability mayPatch(Environment env, KubeApi api, String group, String resource, String sub, String ns, String name) {
        String key = env.context() + "|" + group + "|" + resource + "|" + sub + "|" + ns + "|" + name;
        Cached<Availability> cached = reviews.get(key);
        if (cached != null && cached.fresh(REVIEW_TTL_NANOS)) return cached.value();
        AccessReview.Answer review = AccessReview.ask(api.http(), "patch", group, resource, sub, ns, name);
        Availability answer;
        if (!review.answered()) {
            answer = Availability.no("cannot check permissions (" + review.reason() + ")");
        } else if (review.allowed()) {
            answer = Availability.YES;
        } else {
            answer = Availability.no("RBAC: " + whoAmI(env) + " may not patch " + resource + (sub.isEmpty() ? "" : "/" + sub)
                    + " in namespace " + ns + " (" + env.name() + ")");
        }
        reviews.put(key, new Cached<>(answer, System.nanoTime()));
        return answer;
    }
}
