package dev.shipdeck.app.common;

import java.util.function.Consumer;
import java.util.function.Supplier;

/** Runs "background" work and its callbacks at once on the calling thread, so view models test without a toolkit. */
public final class SameThreadTasks implements Tasks {
    @Override
    public <T> void submit(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            onFailure.accept(e);
            return;
        }
        onSuccess.accept(result);
    }

    @Override
    public void ui(Runnable r) {
        r.run();
    }

    @Override
    public void after(java.time.Duration delay, Runnable r) {
        r.run();
    }
}
