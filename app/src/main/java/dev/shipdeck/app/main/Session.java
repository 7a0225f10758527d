package dev.shipdeck.app.main;

import dev.shipdeck.app.commands.CommandService;
import dev.shipdeck.app.common.ClusterGateway;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.live.LiveView;
import dev.shipdeck.core.matrix.PromotionOrder;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.sim.ClusterSim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything one opened kubeconfig brings: its environments, the live view, commands and direct cluster access,
 * and — in demo mode — the embedded simulated cluster. Closing it stops them all.
 *
 * @param lastSeen the last known state of its environments, or null when nothing is cached for it (the demo)
 * @param description what the window title and status bar say about it, e.g. {@code demo cluster}
 * @param promotion the order versions move through its environments (the Matrix tab's columns, ship's production check)
 *                  as the session opened
 * @param environmentsFile the environments file a changed promotion order is written to; null for the demo (kept in memory)
 */
public record Session(String description, List<Environment> environments, KubeClients clients, LiveView live,
                      CommandService commands, ClusterGateway cluster, ClusterSim sim, Path tempDir, LastSeen lastSeen,
                      PromotionOrder promotion, Path environmentsFile) implements AutoCloseable {
    public boolean demo() { return sim != null; }

    @Override
    public void close() {
        live.close();
        clients.close();
        if (lastSeen != null) lastSeen.close();
        if (sim != null) sim.close();
        if (tempDir != null) {
            try (var files = Files.walk(tempDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
