package dev.shipdeck.core.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.json.J;
import dev.shipdeck.core.kube.ClusterException;
import dev.shipdeck.core.kube.Failures;
import dev.shipdeck.core.kube.Redact;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.workload.Conventions;
import dev.shipdeck.core.workload.WorkloadPaths;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the workload a request names. With its namespace and name known, one read of that object per kind (a list
 * restricted to its name: the list verb a command needs anyway, the agent may not get single objects); otherwise a
 * list in each namespace the environment names (cluster-wide when it names none), filtered by component.
 */
final class TargetResolver {
    private final List<Environment> environments;
    private final Set<String> secrets;

    TargetResolver(List<Environment> environments, Set<String> secrets) {
        this.environments = List.copyOf(environments);
        this.secrets = secrets;
    }

    Environment environment(String name) {
        for (Environment e : environments) {
            if (e.name().equals(name)) return e;
        }
        throw new NotFoundException("unknown environment \"" + name + "\"", "known environments: "
                + String.join(", ", environments.stream().map(Environment::name).toList()));
    }

    /** The environment called {@code name}, or null. */
    Environment find(String name) {
        for (Environment e : environments) {
            if (e.name().equals(name)) return e;
        }
        return null;
    }

    Target resolve(Environment env, KubeApi api, CommandRequest r) {
        boolean named = has(r.namespace()) && has(r.workload());
        List<Target> found = new ArrayList<>();
        // a namespaced user can only list in the namespaces the environment names, not cluster-wide
        List<String> namespaces = has(r.namespace()) ? List.of(r.namespace())
                : env.explicitNamespaces().isEmpty() ? Collections.singletonList(null) : env.explicitNamespaces();
        ShipdeckException unreadable = null;
        for (WorkloadKind kind : WorkloadKind.values()) {
            for (String ns : namespaces) {
                KubeApi.Response resp = api.get(WorkloadPaths.collection(kind, ns) + (named ? byName(r.workload()) : ""));
                if (resp.code() == 404 && kind == WorkloadKind.ROLLOUT) break; // no Argo Rollouts in this cluster
                if (!resp.ok()) {
                    // remembered, not thrown: a Deployment is still found when only Rollouts are unreadable
                    if (unreadable == null) {
                        // the state a read gives for the same answer (401 advice, 403 reason), so reads and writes agree
                        unreadable = new ClusterException(Failures.http(resp.code(), "cannot list " + kind.kind().toLowerCase(Locale.ROOT)
                                + "s: " + resp.message(), secrets), null);
                    }
                    continue;
                }
                for (JsonNode w : resp.body().path("items")) {
                    String wns = J.str(w, "metadata", "namespace");
                    if (env.manages(wns) && r.component().equals(Conventions.componentName(w))
                            && (!has(r.workload()) || r.workload().equals(J.str(w, "metadata", "name")))) {
                        found.add(Target.of(env, kind, w, wns, J.str(w, "metadata", "name")));
                    }
                }
            }
        }
        if (found.isEmpty() && unreadable != null) throw unreadable;
        if (found.isEmpty()) {
            throw new NotFoundException("component \"" + r.component() + "\" not found in environment " + env.name(),
                    "list them with: shipdeck components --environment " + env.name());
        }
        if (found.size() > 1) {
            throw new ShipdeckException("component \"" + r.component() + "\" has " + found.size() + " workloads in " + env.name() + " ("
                    + String.join(", ", found.stream().map(f -> f.namespace() + "/" + f.name()).toList()) + ")",
                    "name one with --namespace and --workload");
        }
        return found.get(0);
    }

    /** The workload again, by a list in its namespace restricted to its name; a target without JSON when it is gone. */
    Target reread(KubeApi api, Target t) {
        KubeApi.Response resp = api.get(WorkloadPaths.collection(t.kind(), t.namespace()) + byName(t.name()));
        if (!resp.ok()) {
            throw new Refused(Outcome.FAILED, "cannot read " + t.name() + " again: " + Redact.text(resp.message(), secrets));
        }
        for (JsonNode w : resp.body().path("items")) {
            if (t.name().equals(J.str(w, "metadata", "name"))) return Target.of(t.env(), t.kind(), w, t.namespace(), t.name());
        }
        return Target.of(t.env(), t.kind(), null, t.namespace(), t.name());
    }

    private static String byName(String name) {
        return "?fieldSelector=" + URLEncoder.encode("metadata.name=" + name, StandardCharsets.UTF_8);
    }

    private static boolean has(String s) {
        return s != null && !s.isEmpty();
    }
}
