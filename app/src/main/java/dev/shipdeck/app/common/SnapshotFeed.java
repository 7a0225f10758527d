package dev.shipdeck.app.common;

import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.Snapshot;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands core's snapshots (published on a background thread) over to the UI thread, coalesced: however many arrive
 * while the UI is busy, it only ever sees the newest. Also counts how many objects changed per second (what the
 * status bar shows as live activity); the counting happens on the publisher's thread.
 */
public final class SnapshotFeed implements Consumer<Snapshot> {
    private static final long WINDOW_MILLIS = 5_000;

    private final Tasks tasks;
    private final Clock clock;
    private final AtomicReference<Snapshot> pending = new AtomicReference<>();
    private final ReadOnlyObjectWrapper<Snapshot> snapshot = new ReadOnlyObjectWrapper<>(this, "snapshot", Snapshot.EMPTY);
    private final ReadOnlyDoubleWrapper changesPerSecond = new ReadOnlyDoubleWrapper(this, "changesPerSecond", 0);
    private final Deque<long[]> changes = new ArrayDeque<>();
    private Snapshot previous = Snapshot.EMPTY;
    private volatile double rate;

    public SnapshotFeed(Tasks tasks, Clock clock) {
        this.tasks = tasks;
        this.clock = clock;
    }

    /** Called by core on its publisher thread. */
    @Override
    public void accept(Snapshot s) {
        count(s);
        if (pending.getAndSet(s) == null) {
            tasks.ui(this::deliver);
        }
    }

    private void deliver() {
        Snapshot s = pending.getAndSet(null);
        changesPerSecond.set(rate);
        if (s != null && s != snapshot.get()) snapshot.set(s);
    }

    private synchronized void count(Snapshot s) {
        long now = clock.millis();
        int n = changedObjects(previous, s);
        previous = s;
        if (n > 0) changes.addLast(new long[] {now, n});
        rate = rateAt(now);
    }

    private synchronized double rateAt(long now) {
        while (!changes.isEmpty() && changes.peekFirst()[0] < now - WINDOW_MILLIS) changes.removeFirst();
        long sum = 0;
        for (long[] c : changes) sum += c[1];
        return sum / (WINDOW_MILLIS / 1000.0);
    }

    /** Lets the rate decay when nothing happens; call it now and then on the UI thread. */
    public void tick() {
        changesPerSecond.set(rateAt(clock.millis()));
    }

    /** How many components and releases differ between two snapshots (unchanged environments are skipped cheaply). */
    static int changedObjects(Snapshot before, Snapshot after) {
        if (before == Snapshot.EMPTY || before.environments().isEmpty()) return 0;
        Map<String, EnvironmentSnapshot> old = new HashMap<>();
        for (EnvironmentSnapshot e : before.environments()) old.put(e.environment().name(), e);
        int n = 0;
        for (EnvironmentSnapshot e : after.environments()) {
            EnvironmentSnapshot o = old.get(e.environment().name());
            if (o == e) continue;
            if (o == null) continue;
            n += diff(o.components(), e.components(), Component::key);
            n += diff(o.releases(), e.releases(), Release::id);
        }
        return n;
    }

    private static <T> int diff(List<T> before, List<T> after, java.util.function.Function<T, String> key) {
        Map<String, T> old = new HashMap<>(before.size() * 2);
        for (T t : before) old.put(key.apply(t), t);
        int n = 0;
        for (T t : after) {
            T o = old.remove(key.apply(t));
            if (o == null || !o.equals(t)) n++;
        }
        return n + old.size();
    }

    public ReadOnlyObjectProperty<Snapshot> snapshotProperty() { return snapshot.getReadOnlyProperty(); }

    public Snapshot snapshot() { return snapshot.get(); }

    public ReadOnlyDoubleProperty changesPerSecondProperty() { return changesPerSecond.getReadOnlyProperty(); }
}
