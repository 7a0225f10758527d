package dev.shipdeck.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a cluster's controllers on one thread: store events mark primaries dirty, dirty primaries are
 * reconciled, and requeues fire when the simulated clock reaches them.
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControllerManager.class.getName());

    private record Task(Controller controller, Controller.Key key) {}

    private final Store store;
    private final List<Controller> controllers;
    private final LinkedBlockingQueue<Store.Event> events = new LinkedBlockingQueue<>();
    private final LinkedHashSet<Task> dirty = new LinkedHashSet<>();
    private final Map<Task, Instant> delayed = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean held;
    private Store.Subscription subscription;
    private volatile long idleSince = System.nanoTime();
    private volatile long cycles;

    public ControllerManager(Store store, List<Controller> controllers, String clusterName) {
        this.store = store;
        this.controllers = List.copyOf(controllers);
        this.thread = new Thread(this::loop, "sim-controllers-" + clusterName);
        this.thread.setDaemon(true);
    }

    public void start() {
        store.atomically(() -> {
            subscription = store.watch(null, null, o -> true, store.currentResourceVersion(), events::add);
            for (Controller c : controllers) {
                if (c.primary() == null) continue;
                for (var o : store.list(c.primary(), null, x -> true).items()) {
                    dirty.add(new Task(c, new Controller.Key(Json.namespace(o), Json.name(o))));
                }
            }
        });
        thread.start();
    }

    /** Controllers whose primary type appears later (a CRD installed at runtime) pick up existing objects. */
    public void resync() {
        events.add(new Store.Event(-1, "RESYNC", Resources.NAMESPACES, Json.object()));
    }

    private void loop() {
        while (running) {
            cycles++;
            try {
                Store.Event e = events.poll(held || dirty.isEmpty() ? 10 : 0, TimeUnit.MILLISECONDS);
                while (e != null) {
                    route(e);
                    e = events.poll();
                }
                if (held) continue; // what happened meanwhile is kept and reconciled once released
                Instant now = store.clock().now();
                delayed.entrySet().removeIf(en -> {
                    if (!en.getValue().isAfter(now)) {
                        dirty.add(en.getKey());
                        return true;
                    }
                    return false;
                });
                if (dirty.isEmpty()) {
                    if (idleSince == 0 && events.isEmpty()) {
                        idleSince = System.nanoTime(); // the last writes concerned no controller
                    }
                    continue;
                }
                idleSince = 0;
                List<Task> batch = new ArrayList<>(dirty);
                dirty.clear();
                for (Task t : batch) {
                    run(t);
                }
                if (dirty.isEmpty() && events.isEmpty()) {
                    idleSince = System.nanoTime();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "controller loop error", ex);
            }
        }
    }

    private void route(Store.Event e) {
        if ("RESYNC".equals(e.type())) {
            for (Controller c : controllers) {
                if (c.primary() == null) continue;
                for (var o : store.list(c.primary(), null, x -> true).items()) {
                    dirty.add(new Task(c, new Controller.Key(Json.namespace(o), Json.name(o))));
                }
            }
            return;
        }
        for (Controller c : controllers) {
            for (Controller.Key k : c.keysFor(e)) {
                dirty.add(new Task(c, k));
            }
        }
    }

    private void run(Task t) {
        try {
            Duration again = t.controller().reconcile(t.key());
            if (again != null) {
                Instant due = store.clock().now().plus(again);
                delayed.merge(t, due, (a, b) -> a.isBefore(b) ? a : b);
            }
        } catch (ApiException conflict) {
            // someone wrote in between: look again soon
            dirty.add(t);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "reconcile " + t.key() + " by " + t.controller().getClass().getSimpleName() + " failed", ex);
            delayed.put(t, store.clock().now().plusSeconds(1));
        }
    }

    /** True when no work is queued right now (delayed requeues may still be pending). */
    public boolean isIdle() {
        return events.isEmpty() && dirty.isEmpty() && idleSince != 0;
    }

    /** How many times the loop has gone round. */
    public long cycles() { return cycles; }

    /**
     * Holds every controller until {@code close()} on what this returns: writes are kept and reconciled afterwards,
     * as a busy kube-controller-manager would — for tests of the moment between an update and its controller's answer.
     */
    public AutoCloseable hold() {
        held = true;
        return () -> held = false;
    }

    /** Waits until the loop has gone round at least twice and has nothing left to do right now. */
    public boolean awaitQuiet(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        long start = cycles;
        while (System.nanoTime() < deadline) {
            if (cycles >= start + 2 && isIdle()) {
                return true;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        if (subscription != null) subscription.close();
        thread.interrupt();
    }
}
