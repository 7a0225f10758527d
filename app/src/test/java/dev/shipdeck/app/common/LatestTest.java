package dev.shipdeck.app.common;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LatestTest {
    @Test
    void aSlowOldAnswerNeverOverwritesANewerOne() {
        ManualTasks tasks = new ManualTasks();
        Latest pods = new Latest(tasks);
        List<String> shown = new ArrayList<>();
        pods.run(() -> "pods of 4.1.0", shown::add, e -> shown.add("error"));
        pods.run(() -> "pods of 4.2.0", shown::add, e -> shown.add("error"));
        tasks.finishNewestFirst();
        assertThat(shown).containsExactly("pods of 4.2.0");
    }

    @Test
    void nothingArrivesAfterThePageWasLeft() {
        ManualTasks tasks = new ManualTasks();
        Latest history = new Latest(tasks);
        List<String> shown = new ArrayList<>();
        history.<String>run(() -> { throw new IllegalStateException("503"); }, shown::add, e -> shown.add("failed: " + e.getMessage()));
        history.cancel();
        tasks.finishAll();
        assertThat(shown).isEmpty();
    }
}
