package dev.shipdeck.app.common;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs blocking work (cluster calls, file reads, exec plugins) away from the UI thread and hands the result back
 * on it. View models take a {@code Tasks} so that tests can run everything on the calling thread.
 */
public interface Tasks {
    /** Runs {@code work} in the background; exactly one of the callbacks runs afterwards on the UI thread. */
    <T> void run(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure);

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
}
