package dev.shipdeck.app.common;

import javafx.application.Platform;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Background work on a small pool of daemon threads; callbacks on the JavaFX application thread. */
public final class FxTasks implements Tasks, AutoCloseable {
    private final ExecutorService pool;

    public FxTasks() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, "shipdeck-bg-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newCachedThreadPool(f);
    }

    @Override
    public <T> void submit(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        pool.execute(() -> {
            T result;
            try {
                result = work.get();
            } catch (Throwable t) {
                Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                Platform.runLater(() -> onFailure.accept(cause));
                return;
            }
            Platform.runLater(() -> onSuccess.accept(result));
        });
    }

    @Override
    public void ui(Runnable r) {
        Platform.runLater(r);
    }

    @Override
    public void after(java.time.Duration delay, Runnable r) {
        javafx.animation.PauseTransition wait = new javafx.animation.PauseTransition(javafx.util.Duration.millis(delay.toMillis()));
        wait.setOnFinished(e -> r.run());
        if (Platform.isFxApplicationThread()) wait.play();
        else Platform.runLater(wait::play);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
