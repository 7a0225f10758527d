package dev.shipdeck.app.common;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Background work that finishes only when the test says so, and delayed UI work that waits for {@link #elapse()}:
 * for view-model tests about what happens while something is still loading, or arrives late.
 */
public final class ManualTasks implements Tasks {
    private final Deque<Runnable> background = new ArrayDeque<>();
    private final Deque<Runnable> delayed = new ArrayDeque<>();
    private int started;

    @Override
    public <T> void submit(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        started++;
        background.add(() -> {
            T result;
            try {
                result = work.get();
            } catch (RuntimeException e) {
                onFailure.accept(e);
                return;
            }
            onSuccess.accept(result);
        });
    }

    @Override
    public void ui(Runnable r) { r.run(); }

    @Override
    public void after(java.time.Duration delay, Runnable r) { delayed.add(r); }

    /** Lets every delayed piece of UI work run. */
    public void elapse() {
        while (!delayed.isEmpty()) delayed.poll().run();
    }

    /** Finishes the background work in the order it was started. */
    public void finishAll() {
        while (!background.isEmpty()) background.poll().run();
    }

    /** Finishes the newest background work first, then the older ones: results that arrive out of order. */
    public void finishNewestFirst() {
        while (!background.isEmpty()) background.pollLast().run();
    }

    public int started() { return started; }

    public int pending() { return background.size(); }
}
