package dev.shipdeck.app.common;

import dev.shipdeck.core.model.Snapshot;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotFeedTest {
    /** UI work queues up until the test drains it, as a busy UI thread would. */
    static final class QueuedTasks implements Tasks {
        final Deque<Runnable> queue = new ArrayDeque<>();

        @Override
        public <T> void submit(Supplier<T> work, Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
            onSuccess.accept(work.get());
        }

        @Override
        public void ui(Runnable r) { queue.add(r); }

        @Override
        public void after(java.time.Duration delay, Runnable r) { queue.add(r); }

        void drain() {
            while (!queue.isEmpty()) queue.poll().run();
        }
    }

    @Test
    void aBurstOfSnapshotsReachesTheUiOnceWithTheNewest() {
        QueuedTasks tasks = new QueuedTasks();
        SnapshotFeed feed = new SnapshotFeed(tasks, Clock.systemUTC());
        int[] seen = {0};
        feed.snapshotProperty().addListener((o, a, b) -> seen[0]++);
        for (int i = 1; i <= 50; i++) feed.accept(new Snapshot(List.of(), i));

        assertThat(tasks.queue).hasSize(1);
        tasks.drain();
        assertThat(seen[0]).isEqualTo(1);
        assertThat(feed.snapshot().sequence()).isEqualTo(50);

        feed.accept(new Snapshot(List.of(), 51));
        tasks.drain();
        assertThat(feed.snapshot().sequence()).isEqualTo(51);
    }
}
