package dev.shipdeck.app.common;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One kind of background load whose newest request alone counts: a result (or failure) that arrives after a newer
 * request was made, or after {@link #cancel()}, is dropped. Pages use one per thing they load (pods, history, diff),
 * so a slow old answer never overwrites a newer one.
 */
public final class Latest {
    private final Tasks tasks;
    private long generation;

    public Latest(Tasks tasks) {
        this.tasks = tasks;
    }

    /** Runs {@code work} in the background; the callback runs on the UI thread only if no newer run or cancel came since. */
    public <T> void run(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        long mine = ++generation;
        tasks.run(work, r -> {
            if (mine == generation) onSuccess.accept(r);
        }, e -> {
            if (mine == generation) onFailure.accept(e);
        });
    }

    /** Drops whatever is still in flight (the page was left). */
    public void cancel() {
        generation++;
    }
}
