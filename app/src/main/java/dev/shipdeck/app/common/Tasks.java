package dev.shipdeck.app.common;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs blocking work (cluster calls, file reads, exec plugins) away from the UI thread and hands the result back
 * on it. View models take a {@code Tasks} so that tests can run everything on the calling thread.
 *
 * <p>Every {@link #run} returns a {@link Handle}: cancelling it drops the result (the callbacks never run) and runs
 * the finally hook at once; otherwise the finally hook runs on the UI thread right after the success or failure
 * callback. A view model keeps one {@link Latest} per thing it loads, so only the newest call's result is shown.
 */
public interface Tasks {
    /**
     * What an implementation provides: runs {@code work} in the background, then exactly one of the callbacks on
     * the UI thread. Callers use {@link #run} instead, which adds cancel, the finally hook and dropped results.
     */
    <T> void submit(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure);

    /** Runs {@code work} in the background; unless cancelled, exactly one of the callbacks runs afterwards on the UI thread. */
    default <T> Handle run(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        return run(work, onSuccess, onFailure, () -> { }, r -> { });
    }

    /** As {@link #run(Supplier, Consumer, Consumer)}, with {@code onFinally} run once on the UI thread when the call settles. */
    default <T> Handle run(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure, Runnable onFinally) {
        return run(work, onSuccess, onFailure, onFinally, r -> { });
    }

    /**
     * The full form: {@code onDropped} receives a result that arrived after the call was cancelled, for results that
     * hold resources (a session nobody will show must still be closed).
     */
    default <T> Handle run(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure, Runnable onFinally,
                           Consumer<? super T> onDropped) {
        Handle h = new Handle(onFinally);
        submit(work, r -> {
            if (!h.settle(() -> onSuccess.accept(r))) onDropped.accept(r);
        }, e -> h.settle(() -> onFailure.accept(e)));
        return h;
    }

    /** Runs {@code work} in the background and ignores its result (failures are logged). */
    default void fire(Runnable work) {
        run(() -> {
            work.run();
            return null;
        }, r -> { }, e -> org.slf4j.LoggerFactory.getLogger(Tasks.class).warn("background work failed", e));
    }

    /** Runs {@code r} on the UI thread (later, unless already there in tests). */
    void ui(Runnable r);

    /** Runs {@code r} on the UI thread after {@code delay} (at once in tests that run everything on their thread). */
    void after(java.time.Duration delay, Runnable r);

    /** Runs {@code r} after {@code delay} unless the returned handle is cancelled first. */
    default Handle later(java.time.Duration delay, Runnable r) {
        Handle h = new Handle(() -> { });
        after(delay, () -> h.settle(r));
        return h;
    }

    /**
     * One call in flight. Used on the UI thread only (where callbacks and cancel run), so it needs no locking. The
     * background work itself is not interrupted: a cluster call runs to its end and its answer is thrown away.
     */
    final class Handle {
        private final Runnable onFinally;
        private boolean done;
        private boolean cancelled;

        Handle(Runnable onFinally) {
            this.onFinally = onFinally;
        }

        /** Drops the result if it has not arrived yet; the finally hook runs now. No effect once settled. */
        public void cancel() {
            if (done) return;
            done = true;
            cancelled = true;
            onFinally.run();
        }

        /** Whether the result arrived or the call was cancelled. */
        public boolean isDone() { return done; }

        public boolean isCancelled() { return cancelled; }

        /** Runs {@code outcome} then the finally hook, unless settled already; says whether it ran. */
        boolean settle(Runnable outcome) {
            if (done) return false;
            done = true;
            try {
                outcome.run();
            } finally {
                onFinally.run();
            }
            return true;
        }
    }
}
