package dev.shipdeck.app.main;

import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Snapshot;
import javafx.animation.AnimationTimer;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.util.Duration;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Start-up measurements: time from JVM start to the first rendered frame and to the first frame showing live data
 * from every environment, then resident memory once things settled. With {@code --measure} it prints one line
 * ({@code SHIPDECK_STARTUP ...}) and exits; {@link #whenReady} also serves the ready file for scripts that drive the real window.
 */
public final class StartupProbe {
    private final MainWindow window;
    private final boolean measure;
    private final long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    private long firstFrame = -1;
    private long sessionOpen = -1;

    public StartupProbe(MainWindow window, boolean measure) {
        this.window = window;
        this.measure = measure;
    }

    public void watch() {
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                firstFrame = System.currentTimeMillis() - jvmStart;
                stop();
            }
        }.start();
        if (!measure) return;
        window.viewModel().sessionProperty().addListener((o, a, b) -> {
            if (b != null && sessionOpen < 0) sessionOpen = System.currentTimeMillis() - jvmStart;
        });
        whenReady(window, () -> {
            long firstData = System.currentTimeMillis() - jvmStart;
            Snapshot s = window.viewModel().snapshotProperty().get();
            long components = s.components().count();
            PauseTransition settle = new PauseTransition(Duration.seconds(3));
            settle.setOnFinished(e -> {
                Thread t = new Thread(() -> {
                    System.gc();
                    long heap = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024);
                    System.out.printf("SHIPDECK_STARTUP first_frame_ms=%d session_ms=%d first_data_ms=%d rss_mb=%d heap_used_mb=%d components=%d%n",
                            firstFrame, sessionOpen, firstData, rssMegabytes(), heap, components);
                    System.out.flush();
                    Platform.runLater(() -> {
                        window.stage().close();
                        Platform.exit();
                    });
                }, "shipdeck-measure");
                t.setDaemon(true);
                t.start();
            });
            settle.play();
        });
    }

    /** Runs {@code then} once, on the UI thread, when every environment has shown its components and the timeline has rows. */
    public static void whenReady(MainWindow window, Runnable then) {
        MainViewModel vm = window.viewModel();
        ChangeListener<Snapshot>[] holder = new ChangeListener[1];
        holder[0] = (o, a, s) -> {
            if (ready(s) && !vm.timeline().rows().isEmpty()) {
                vm.snapshotProperty().removeListener(holder[0]);
                // one more pulse so the tables have drawn the data
                Platform.runLater(then);
            }
        };
        vm.snapshotProperty().addListener(holder[0]);
    }

    /** Every environment has listed its workloads (it may still be settling its watches). */
    public static boolean ready(Snapshot s) {
        if (s.environments().isEmpty()) return false;
        List<EnvironmentSnapshot> envs = new ArrayList<>(s.environments());
        return envs.stream().allMatch(e -> !e.components().isEmpty()) && s.components().findAny().isPresent();
    }

    /** VmRSS from /proc (Linux), or -1. */
    static long rssMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
