package dev.shipdeck.app.common;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One slot of background work in a view model whose newest call alone counts: starting a call cancels the one
 * before it, so a result (or failure) that arrives after a newer call, or after {@link #cancel()}, is dropped. A
 * page keeps one per thing it loads (pods, history, diff, the plan of a command), so a slow old answer never
 * overwrites a newer one; {@link PageViewModel#deactivate()} cancels every slot of a page.
 */
public final class Latest {
    private final Tasks tasks;
    private Tasks.Handle current;

    public Latest(Tasks tasks) {
        this.tasks = tasks;
    }

    /** Runs {@code work} in the background; the callback runs on the UI thread only if no newer run or cancel came since. */
    public <T> Tasks.Handle run(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        return run(work, onSuccess, onFailure, () -> { }, r -> { });
    }

    /** As {@link #run(Supplier, Consumer, Consumer)}, with a finally hook (it runs at once for a call dropped by a newer one). */
    public <T> Tasks.Handle run(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure, Runnable onFinally) {
        return run(work, onSuccess, onFailure, onFinally, r -> { });
    }

    /** The full form; {@code onDropped} receives a result that came too late (to close what it holds). */
    public <T> Tasks.Handle run(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure, Runnable onFinally,
                                Consumer<? super T> onDropped) {
        cancel();
        return keep(tasks.run(work, onSuccess, onFailure, onFinally, onDropped));
    }

    /** Runs {@code r} on the UI thread after {@code delay}, unless a newer call or a cancel comes first. */
    public Tasks.Handle later(Duration delay, Runnable r) {
        cancel();
        return keep(tasks.later(delay, r));
    }

    /**
     * Remembers {@code h} as the call in flight, unless a callback that ran at once (tasks that run on the calling
     * thread) already started a newer call of this slot that is still waiting.
     */
    private Tasks.Handle keep(Tasks.Handle h) {
        if (current == null || current.isDone()) current = h;
        return h;
    }

    /** Drops whatever is still in flight (the page was left, or the answer no longer matters). */
    public void cancel() {
        if (current != null) current.cancel();
        current = null;
    }

    /** Whether a call of this slot is still waiting for its result. */
    public boolean busy() {
        return current != null && !current.isDone();
    }
}
