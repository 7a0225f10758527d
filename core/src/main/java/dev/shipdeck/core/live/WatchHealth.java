package dev.shipdeck.core.live;

import dev.shipdeck.core.kube.Failures;
import dev.shipdeck.core.kube.Redact;
import dev.shipdeck.core.kube.Traffic;
import dev.shipdeck.core.model.ConnectionState;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the watches of one environment are doing: which watch requests failed last (from the traffic the client sees)
 * and which informers were ever watching, so a watch that was established and is not any more counts as interrupted
 * while one that never said so does not (fabric8's HTTP watches only say so after their first event).
 */
final class WatchHealth {
    private final Set<SharedIndexInformer<?>> everWatched = ConcurrentHashMap.newKeySet();
    private final Set<String> failingWatches = ConcurrentHashMap.newKeySet();

    /** What a look at the informers found: a watch lost, and whether every informer is synced and watching (or never did). */
    record Check(boolean interrupted, boolean healthy) {}

    /**
     * The state a traffic signal leads to: a failure makes it RETRYING at once (FORBIDDEN stays), an answer removes its
     * watch from the failing ones; null when it does not change the state by itself.
     */
    ConnectionState onSignal(Traffic.Signal signal, Set<String> secrets) {
        if (signal.ok()) {
            failingWatches.remove(signal.path());
            return null;
        }
        failingWatches.add(signal.path());
        ConnectionState s = signal.code() == 0
                ? ConnectionState.of(ConnectionState.Phase.RETRYING, "watch failed: " + Redact.text(signal.reason(), secrets))
                : Failures.http(signal.code(), "watch refused", secrets);
        return s.phase() == ConnectionState.Phase.FORBIDDEN ? s : ConnectionState.of(ConnectionState.Phase.RETRYING, s.reason());
    }

    /** The state an informer's failure leads to: RETRYING, but for a refusal (401 with advice, 403) that will not pass by itself. */
    static ConnectionState informerFailure(Throwable t, Set<String> secrets) {
        ConnectionState s = Failures.describe(t, secrets);
        if (s.phase() == ConnectionState.Phase.FAILED && t instanceof KubernetesClientException ke && ke.getCode() == 0) {
            s = ConnectionState.of(ConnectionState.Phase.RETRYING, s.reason());
        }
        if (s.phase() == ConnectionState.Phase.UNREACHABLE || s.phase() == ConnectionState.Phase.FAILED && !s.reason().startsWith("401")) {
            s = ConnectionState.of(ConnectionState.Phase.RETRYING, s.reason());
        }
        return s;
    }

    /** No watch request is failing now. */
    boolean noFailures() {
        return failingWatches.isEmpty();
    }

    <T> Check check(List<SharedIndexInformer<T>> informers) {
        boolean interrupted = false;
        boolean healthy = true;
        boolean allWatching = true;
        for (SharedIndexInformer<T> i : informers) {
            boolean watching = i.isWatching();
            if (watching) everWatched.add(i);
            boolean ok = i.hasSynced() && (watching || !everWatched.contains(i));
            healthy &= ok;
            allWatching &= watching;
            interrupted |= !watching && everWatched.contains(i);
        }
        // A WebSocket watch (what a real API server answers) that is established again never passes the traffic
        // interceptor (fabric8 tells interceptors of WebSocket failures only): every informer watching is the proof.
        if (allWatching) failingWatches.clear();
        return new Check(interrupted, healthy);
    }

    /** The informers start over. */
    void forgetWatched() {
        everWatched.clear();
    }
}
