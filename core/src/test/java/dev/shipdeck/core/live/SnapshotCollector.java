package dev.shipdeck.core.live;

import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Collects the snapshots a LiveView publishes in a queue, for tests to poll with a timeout. */
final class SnapshotCollector {
    private final BlockingQueue<Snapshot> queue = new LinkedBlockingQueue<>();
    private final List<Snapshot> seen = new ArrayList<>();

    SnapshotCollector(LiveView live) {
        live.subscribe(queue::add);
    }

    /** Polls snapshots until the one of {@code context} matches, failing after {@code seconds}. */
    EnvironmentSnapshot await(String context, int seconds, String what, Predicate<EnvironmentSnapshot> p) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Snapshot s = queue.poll(100, TimeUnit.MILLISECONDS);
            if (s == null) continue;
            seen.add(s);
            EnvironmentSnapshot e = s.environment(context);
            if (e != null && p.test(e)) return e;
        }
        throw new AssertionError("no snapshot with " + what + " within " + seconds + " s; last: "
                + (seen.isEmpty() ? "none" : describe(seen.get(seen.size() - 1).environment(context))));
    }

    /** Forgets what is queued so far. */
    void clear() {
        queue.drainTo(seen);
    }

    /** Every connection state text of every snapshot seen, for the secrets check. */
    List<String> connectionTexts() {
        queue.drainTo(seen);
        List<String> texts = new ArrayList<>();
        for (Snapshot s : seen) s.environments().forEach(e -> texts.add(e.connection().describe()));
        return texts;
    }

    static String describe(EnvironmentSnapshot e) {
        if (e == null) return "none";
        return e.connection().describe() + " " + e.components().stream().map(c -> c.name() + "@" + c.version() + ":" + c.status()).toList()
                + " " + e.releases().stream().map(r -> r.version() + ":" + r.status()).toList();
    }
}
