package dev.shipdeck.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.records.CommandRecords;
import dev.shipdeck.core.records.ReleaseCommandRecord;
import dev.shipdeck.core.records.ReleaseRecord;
import dev.shipdeck.core.records.ReleaseRecords;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The Release and ReleaseCommand records of the managed namespaces, kept current by informers and by the agent's own
 * writes (whichever has the newer resourceVersion wins, so a late informer event never brings back an older copy).
 * A stale copy is harmless: writes carry their resourceVersion and fail with a conflict instead of overwriting.
 */
final class RecordCache implements AutoCloseable {
    private final Map<String, ReleaseRecord> releases = new ConcurrentHashMap<>();
    private final Map<String, ReleaseCommandRecord> commands = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new CopyOnWriteArrayList<>();
    private final Runnable onChange;
    private final Runnable onReconnect;
    private volatile String lastError = "";

    RecordCache(Runnable onChange, Runnable onReconnect) {
        this.onChange = onChange;
        this.onReconnect = onReconnect;
    }

    /** Starts the informers; the future completes when both have listed everything once. */
    CompletableFuture<Void> start(KubernetesClient client, Environment env) {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        started.addAll(inform(client, env, ReleaseRecords.TYPE, releases, ReleaseRecord::fromJson));
        started.addAll(inform(client, env, CommandRecords.TYPE, commands, ReleaseCommandRecord::fromJson));
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    private <R> List<CompletableFuture<Void>> inform(KubernetesClient client, Environment env, ResourceDefinitionContext type,
                                                     Map<String, R> into, Function<JsonNode, R> parse) {
        List<String> namespaces = env.explicitNamespaces();
        List<SharedIndexInformer<GenericKubernetesResource>> made = new ArrayList<>();
        if (namespaces.isEmpty()) {
            made.add(client.genericKubernetesResources(type).inAnyNamespace().runnableInformer(0));
        } else {
            for (String ns : namespaces) made.add(client.genericKubernetesResources(type).inNamespace(ns).runnableInformer(0));
        }
        List<CompletableFuture<Void>> out = new ArrayList<>();
        for (SharedIndexInformer<GenericKubernetesResource> informer : made) {
            informer.exceptionHandler((isStarted, t) -> {
                lastError = dev.shipdeck.core.kube.Failures.describe(t, java.util.Set.of()).describe();
                onReconnect.run();
                return true;
            });
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(GenericKubernetesResource obj) { put(obj); }

                @Override
                public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) { put(newObj); }

                @Override
                public void onDelete(GenericKubernetesResource obj, boolean finalStateUnknown) {
                    into.remove(obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName());
                    onChange.run();
                }

                private void put(GenericKubernetesResource obj) {
                    if (!env.manages(obj.getMetadata().getNamespace())) return;
                    R r = parse.apply(client.getKubernetesSerialization().convertValue(obj, JsonNode.class));
                    if (r == null) return;
                    String key = obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
                    into.merge(key, r, (a, b) -> newer(version(a), version(b)) ? a : b);
                    onChange.run();
                }
            });
            informers.add(informer);
            out.add(informer.start().toCompletableFuture());
        }
        return out;
    }

    /** The last failure the record informers reported (as a connection state), or empty. */
    String lastError() { return lastError; }

    List<ReleaseRecord> releases() { return List.copyOf(releases.values()); }

    List<ReleaseCommandRecord> commands() { return List.copyOf(commands.values()); }

    /** Takes the copy the API server returned for a write. */
    void put(ReleaseRecord r) {
        releases.merge(r.namespace() + "/" + r.name(), r, (a, b) -> newer(a.resourceVersion(), b.resourceVersion()) ? a : b);
    }

    void put(ReleaseCommandRecord r) {
        commands.merge(r.namespace() + "/" + r.name(), r, (a, b) -> newer(a.resourceVersion(), b.resourceVersion()) ? a : b);
    }

    void forget(ReleaseRecord r) { releases.remove(r.namespace() + "/" + r.name()); }

    void forget(ReleaseCommandRecord r) { commands.remove(r.namespace() + "/" + r.name()); }

    private static String version(Object r) {
        return r instanceof ReleaseRecord rr ? rr.resourceVersion() : ((ReleaseCommandRecord) r).resourceVersion();
    }

    /** Whether {@code a} is strictly newer than {@code b}; resourceVersions that are not numbers: the arriving one wins. */
    private static boolean newer(String a, String b) {
        try {
            return Long.parseLong(a) > Long.parseLong(b);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
