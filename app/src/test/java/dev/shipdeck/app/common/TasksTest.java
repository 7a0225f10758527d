package dev.shipdeck.app.common;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract of {@link Tasks#run}: a handle that cancels, a finally hook, and results that come too late dropped. */
class TasksTest {
    final ManualTasks tasks = new ManualTasks();
    final List<String> seen = new ArrayList<>();

    @Test
    void theFinallyHookRunsAfterTheSuccessCallback() {
        Tasks.Handle h = tasks.run(() -> "pods", r -> seen.add("ok " + r), e -> seen.add("failed"), () -> seen.add("finally"));
        assertThat(h.isDone()).isFalse();
        tasks.finishAll();
        assertThat(seen).containsExactly("ok pods", "finally");
        assertThat(h.isDone()).isTrue();
        assertThat(h.isCancelled()).isFalse();
    }

    @Test
    void theFinallyHookRunsAfterAFailureAndAfterACallbackThatThrows() {
        tasks.<String>run(() -> { throw new IllegalStateException("503"); }, r -> seen.add("ok"), e -> seen.add("failed " + e.getMessage()),
                () -> seen.add("finally"));
        tasks.finishAll();
        assertThat(seen).containsExactly("failed 503", "finally");

        seen.clear();
        Tasks same = new SameThreadTasks();
        try {
            same.run(() -> "x", r -> { throw new IllegalArgumentException("bug in the callback"); }, e -> seen.add("failed"), () -> seen.add("finally"));
        } catch (IllegalArgumentException expected) {
            seen.add("thrown");
        }
        assertThat(seen).containsExactly("finally", "thrown");
    }

    @Test
    void aCancelledCallDeliversNothingAndRunsItsFinallyHookOnce() {
        Tasks.Handle h = tasks.run(() -> "pods", r -> seen.add("ok"), e -> seen.add("failed"), () -> seen.add("finally"));
        h.cancel();
        assertThat(seen).containsExactly("finally");
        h.cancel();
        tasks.finishAll();
        assertThat(seen).containsExactly("finally");
        assertThat(h.isCancelled()).isTrue();
    }

    @Test
    void aResultThatArrivesAfterCancelGoesToOnDropped() {
        Tasks.Handle h = tasks.run(() -> "session", r -> seen.add("shown " + r), e -> seen.add("failed"), () -> { }, r -> seen.add("closed " + r));
        h.cancel();
        tasks.finishAll();
        assertThat(seen).containsExactly("closed session");
    }

    @Test
    void cancellingAfterTheResultArrivedChangesNothing() {
        Tasks.Handle h = tasks.run(() -> "pods", r -> seen.add("ok"), e -> seen.add("failed"), () -> seen.add("finally"));
        tasks.finishAll();
        h.cancel();
        assertThat(seen).containsExactly("ok", "finally");
        assertThat(h.isCancelled()).isFalse();
    }

    @Test
    void aStaleResultOfALatestSlotIsDroppedAndItsFinallyRunsWhenTheNewerCallStarts() {
        Latest slot = new Latest(tasks);
        slot.run(() -> "4.1.0", r -> seen.add("ok " + r), e -> seen.add("failed"), () -> seen.add("finally 4.1.0"));
        assertThat(slot.busy()).isTrue();
        slot.run(() -> "4.2.0", r -> seen.add("ok " + r), e -> seen.add("failed"), () -> seen.add("finally 4.2.0"));
        assertThat(seen).containsExactly("finally 4.1.0");
        tasks.finishNewestFirst();
        assertThat(seen).containsExactly("finally 4.1.0", "ok 4.2.0", "finally 4.2.0");
        assertThat(slot.busy()).isFalse();
    }

    @Test
    void aDelayedCallOfALatestSlotIsReplacedByANewerOne() {
        Latest slot = new Latest(tasks);
        slot.later(Duration.ofMillis(350), () -> seen.add("plan for 3 replicas"));
        slot.later(Duration.ofMillis(350), () -> seen.add("plan for 4 replicas"));
        tasks.elapse();
        assertThat(seen).containsExactly("plan for 4 replicas");
    }

    @Test
    void aLatestSlotKeepsTheNewerCallStartedFromACallbackThatRanAtOnce() {
        // tasks that run on the calling thread: the delayed callback starts the slot's next call before later() returns
        Tasks now = new Tasks() {
            @Override
            public <T> void submit(java.util.function.Supplier<T> work, java.util.function.Consumer<? super T> ok,
                                   java.util.function.Consumer<Throwable> failed) {
                tasks.submit(work, ok, failed);
            }

            @Override
            public void ui(Runnable r) { r.run(); }

            @Override
            public void after(Duration delay, Runnable r) { r.run(); }
        };
        Latest slot = new Latest(now);
        slot.later(Duration.ZERO, () -> slot.run(() -> "plan", r -> seen.add("ok " + r), e -> seen.add("failed")));
        assertThat(slot.busy()).isTrue();
        slot.cancel();
        tasks.finishAll();
        assertThat(seen).isEmpty();
    }
}
