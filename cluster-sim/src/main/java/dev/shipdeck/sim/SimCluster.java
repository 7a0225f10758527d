package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One simulated cluster: its store, controllers and HTTPS API server. */
public final class SimCluster implements AutoCloseable {
    private final String name;
    private final Store store;
    private final Authz authz;
    private final Faults faults;
    private final ControllerManager controllers;
    private final ApiServer api;

    SimCluster(String name, SimClock clock, Certificates certs) throws IOException {
        this.name = name;
        this.store = new Store(clock, new Resources());
        this.authz = new Authz(store);
        this.faults = new Faults(store, authz);
        this.controllers = new ControllerManager(store, Controllers.standard(store), name);
        this.api = new ApiServer(name, store, authz, faults, certs, 0, controllers::resync);
        for (String ns : List.of("default", "kube-system", "kube-public")) {
            ObjectNode o = Json.object();
            Json.meta(o).put("name", ns);
            store.create(Resources.NAMESPACES, null, o);
        }
    }

    void start() {
        controllers.start();
        api.start();
    }

    public String name() { return name; }

    public Store store() { return store; }

    public Faults faults() { return faults; }

    public String url() { return api.url(); }

    Authz authz() { return authz; }

    /**
     * Creates or replaces the objects of a YAML or JSON document stream, as {@code kubectl apply} would
     * (without going through HTTP). Namespaces named by objects are created when missing.
     */
    public List<ObjectNode> apply(String manifests) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode doc : Manifests.parse(manifests)) {
            if (doc.has("items") && doc.path("kind").asText().endsWith("List")) {
                doc.path("items").forEach(i -> out.add(applyOne((ObjectNode) i)));
            } else {
                out.add(applyOne((ObjectNode) doc));
            }
        }
        return out;
    }

    private ObjectNode applyOne(ObjectNode obj) {
        String apiVersion = obj.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        ResourceType type = store.resources().byGroupKind(group, obj.path("kind").asText());
        if (type == null) {
            throw new IllegalArgumentException("unknown kind " + apiVersion + "/" + obj.path("kind").asText()
                    + " (install its CRD first)");
        }
        String ns = type.namespaced() ? Json.str(obj, "default", "metadata", "namespace") : "";
        if (type.namespaced()) {
            ensureNamespace(ns);
        }
        ObjectNode existing = store.find(type, ns, Json.name(obj));
        ObjectNode result;
        if (existing == null) {
            result = store.create(type, ns, obj.deepCopy());
        } else {
            ObjectNode next = obj.deepCopy();
            Json.meta(next).remove("resourceVersion");
            result = store.update(type, ns, Json.name(obj), next, null);
            if (obj.has("status")) {
                result = store.update(type, ns, Json.name(obj), obj.deepCopy(), "status");
            }
        }
        if (type == Resources.CRDS) {
            store.resources().register(result);
            controllers.resync();
        }
        return result;
    }

    public void ensureNamespace(String ns) {
        if (store.find(Resources.NAMESPACES, null, ns) == null) {
            ObjectNode o = Json.object();
            Json.meta(o).put("name", ns);
            store.create(Resources.NAMESPACES, null, o);
        }
    }

    /**
     * Installs Argo Rollouts' CRDs as its install manifest does: rollouts, analysisruns, analysistemplates and experiments
     * (argoproj.io).
     */
    public void installRolloutsCrd() {
        for (String crd : List.of("rollouts", "analysisruns", "analysistemplates", "experiments")) {
            installCrd(crd + ".argoproj.io.yaml");
        }
    }

    private void installCrd(String file) {
        try (InputStream in = SimCluster.class.getResourceAsStream("crds/" + file)) {
            if (in == null) {
                throw new IllegalStateException(file + " CRD resource missing from cluster-sim");
            }
            apply(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rollouts resource type, or null when the CRD is not installed. */
    public ResourceType rollouts() {
        return store.resources().lookup("argoproj.io", "v1alpha1", "rollouts");
    }

    ControllerManager controllers() { return controllers; }

    /**
     * Holds this cluster's controllers (Deployments, ReplicaSets, Rollouts, …) until the returned handle is closed: the
     * API keeps answering and writes are reconciled once released.
     */
    public AutoCloseable holdControllers() {
        return controllers.hold();
    }

    /** Waits until the controllers have nothing left to do right now. */
    public boolean awaitQuiet(Duration max) {
        return controllers.awaitQuiet(max);
    }

    @Override
    public void close() {
        api.close();
        controllers.close();
    }
}
