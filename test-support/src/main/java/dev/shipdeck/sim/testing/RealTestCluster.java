package dev.shipdeck.sim.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.sim.Manifests;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link TestCluster} on the real control plane: objects are created or replaced over its REST API as the admin;
 * every namespace this test class asked for is deleted when it is closed.
 */
final class RealTestCluster extends TestCluster {
    private static final Set<String> WITH_STATUS = Set.of("deployments", "replicasets", "rollouts", "releases", "releasecommands", "pods");

    private final RealCluster real;
    private final KubeRest rest;
    private final String context;
    private final String suffix;
    private final double speed;
    private final Path dir;
    private final Set<String> namespaces = new LinkedHashSet<>();

    RealTestCluster(RealCluster real, String context, String tag, double speed, Path dir) {
        this.real = real;
        this.rest = real.rest(RealCluster.ADMIN);
        this.context = context;
        this.suffix = tag + "-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
        this.speed = speed;
        this.dir = dir;
    }

    @Override
    public boolean real() {
        return true;
    }

    @Override
    public String context() {
        return context;
    }

    @Override
    public Path kubeconfig(String user) {
        return real.writeKubeconfig(dir.resolve(user + ".kubeconfig"), context, user);
    }

    @Override
    public String token(String user) {
        return real.token(user);
    }

    @Override
    public String ns(String base) {
        return ns(base, true);
    }

    @Override
    synchronized String ns(String base, boolean create) {
        String name = base + "-" + suffix;
        if (name.length() > 63) throw new IllegalArgumentException("namespace name too long: " + name);
        if (create) ensureNamespace(name);
        namespaces.add(name);
        return name;
    }

    private void ensureNamespace(String name) {
        if (rest.get(Kind.NAMESPACES.path(null, name)) != null) return;
        ObjectNode ns = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        ns.put("apiVersion", "v1").put("kind", "Namespace").putObject("metadata").put("name", name);
        try {
            rest.post(Kind.NAMESPACES.path(null, null), ns);
        } catch (KubeRest.ApiError e) {
            if (e.code() != 409) throw e;
        }
    }

    @Override
    public void apply(String manifests) {
        for (JsonNode doc : Manifests.parse(manifests)) {
            if (doc.path("kind").asText().endsWith("List") && doc.has("items")) {
                doc.path("items").forEach(i -> applyOne((ObjectNode) i.deepCopy()));
            } else if (doc.isObject() && !doc.isEmpty()) {
                applyOne((ObjectNode) doc.deepCopy());
            }
        }
    }

    private void applyOne(ObjectNode obj) {
        Kind kind = Kind.of(obj.path("apiVersion").asText(), obj.path("kind").asText());
        ObjectNode meta = obj.withObject("/metadata");
        String name = meta.path("name").asText();
        String ns = kind.namespaced() ? meta.path("namespace").asText("default") : null;
        if (ns != null) {
            meta.put("namespace", ns);
            ensureNamespace(ns);
        }
        JsonNode status = obj.remove("status");
        JsonNode result = null;
        for (int attempt = 0; result == null; attempt++) {
            JsonNode existing = rest.get(kind.path(ns, name));
            try {
                if (existing == null) {
                    result = rest.post(kind.path(ns, null), obj);
                } else {
                    meta.put("resourceVersion", existing.path("metadata").path("resourceVersion").asText());
                    result = rest.put(kind.path(ns, name), obj);
                }
            } catch (KubeRest.ApiError e) {
                if (e.code() != 409 || attempt >= 10) throw e;
            }
        }
        if (status != null && WITH_STATUS.contains(kind.plural())) {
            for (int attempt = 0; ; attempt++) {
                ObjectNode withStatus = (ObjectNode) (attempt == 0 ? result : rest.get(kind.path(ns, name))).deepCopy();
                withStatus.set("status", status);
                try {
                    rest.put(kind.path(ns, name) + "/status", withStatus);
                    break;
                } catch (KubeRest.ApiError e) {
                    if (e.code() != 409 || attempt >= 10) throw e;
                }
            }
        }
        if (kind.equals(Kind.CRDS)) awaitEstablished(name);
    }

    private void awaitEstablished(String crd) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode c = rest.get(Kind.CRDS.path(null, crd));
            for (JsonNode cond : c == null ? List.<JsonNode>of() : iterable(c.path("status").path("conditions"))) {
                if (cond.path("type").asText().equals("Established") && cond.path("status").asText().equals("True")) return;
            }
            pause(100);
        }
        throw new IllegalStateException("CRD " + crd + " was not established within 60 s");
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    @Override
    public ObjectNode get(Kind kind, String ns, String name) {
        JsonNode o = rest.get(kind.path(ns, name));
        return o == null ? null : (ObjectNode) o;
    }

    @Override
    public List<ObjectNode> list(Kind kind, String ns) {
        JsonNode l = rest.get(kind.path(ns, null));
        List<ObjectNode> out = new ArrayList<>();
        if (l != null) l.path("items").forEach(i -> out.add((ObjectNode) i));
        return out;
    }

    @Override
    public void mergePatch(Kind kind, String ns, String name, String subresource, String patch) {
        JsonNode body = Manifests.parse(patch).get(0);
        rest.patch(kind.path(ns, name) + (subresource == null ? "" : "/" + subresource), "application/merge-patch+json", body.toString());
    }

    @Override
    public void delete(Kind kind, String ns, String name) {
        rest.delete(kind.path(ns, name));
    }

    @Override
    public void advance(Duration d) {
        pause(d.toMillis());
    }

    @Override
    public boolean awaitQuiet(Duration max) {
        return true;
    }

    @Override
    public Duration patience() {
        return Duration.ofSeconds(90);
    }

    @Override
    public void stopApiServer() {
        real.stop("kube-apiserver");
    }

    @Override
    public void startApiServer() {
        real.start("kube-apiserver");
    }

    @Override
    public void stopControllerManager() {
        real.stop("kube-controller-manager");
    }

    @Override
    public void startControllerManager() {
        real.start("kube-controller-manager");
    }

    @Override
    protected double speed() {
        return speed;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Deletes this test class's namespaces (without waiting for the namespace controller to empty them). */
    @Override
    public synchronized void close() {
        for (String ns : namespaces) {
            try {
                rest.delete(Kind.NAMESPACES.path(null, ns));
            } catch (RuntimeException e) {
                // the API server may be gone already (a later test class will not see this namespace either way)
            }
        }
        namespaces.clear();
    }
}
