package dev.shipdeck.agent;

import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.records.CommandPhase;
import dev.shipdeck.core.records.ReleaseCommandRecord;
import dev.shipdeck.core.records.ReleaseRecord;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The agent's numbers, in the Prometheus text exposition format (version 0.0.4). */
final class Metrics {
    final AtomicLong watchReconnects = new AtomicLong();
    final AtomicLong recordWrites = new AtomicLong();
    final AtomicLong writeConflicts = new AtomicLong();
    private final Map<CommandPhase, AtomicLong> executed = new ConcurrentHashMap<>();
    private final Supplier<List<ReleaseRecord>> releases;
    private final Supplier<List<ReleaseCommandRecord>> commands;
    private final Supplier<Boolean> leading;

    Metrics(Supplier<List<ReleaseRecord>> releases, Supplier<List<ReleaseCommandRecord>> commands, Supplier<Boolean> leading) {
        this.releases = releases;
        this.commands = commands;
        this.leading = leading;
    }

    void executed(CommandPhase outcome) {
        executed.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        Map<ReleaseStatus, Long> byStatus = new EnumMap<>(ReleaseStatus.class);
        for (ReleaseStatus s : ReleaseStatus.values()) byStatus.put(s, 0L);
        releases.get().forEach(r -> byStatus.merge(r.status().effectivePhase(), 1L, Long::sum));
        header(sb, "shipdeck_releases", "gauge", "Release records in the managed namespaces, by status.");
        byStatus.forEach((s, n) -> sb.append("shipdeck_releases{status=\"").append(s.name().toLowerCase(java.util.Locale.ROOT))
                .append("\"} ").append(n).append('\n'));
        Map<CommandPhase, Long> byPhase = new EnumMap<>(CommandPhase.class);
        for (CommandPhase p : CommandPhase.values()) byPhase.put(p, 0L);
        commands.get().forEach(c -> byPhase.merge(c.phase(), 1L, Long::sum));
        header(sb, "shipdeck_commands", "gauge", "ReleaseCommand records in the managed namespaces, by outcome.");
        byPhase.forEach((p, n) -> sb.append("shipdeck_commands{outcome=\"").append(p.name().toLowerCase(java.util.Locale.ROOT))
                .append("\"} ").append(n).append('\n'));
        header(sb, "shipdeck_commands_executed_total", "counter", "Queued commands this agent ran or expired, by outcome.");
        for (CommandPhase p : CommandPhase.values()) {
            if (!p.terminal()) continue;
            AtomicLong n = executed.get(p);
            sb.append("shipdeck_commands_executed_total{outcome=\"").append(p.name().toLowerCase(java.util.Locale.ROOT)).append("\"} ")
                    .append(n == null ? 0 : n.get()).append('\n');
        }
        counter(sb, "shipdeck_watch_reconnects_total", "Times a watch of the cluster was lost and resumed.", watchReconnects.get());
        counter(sb, "shipdeck_record_writes_total", "Records this agent created, updated or deleted.", recordWrites.get());
        counter(sb, "shipdeck_record_write_conflicts_total", "Writes refused because the record had changed (retried later).",
                writeConflicts.get());
        header(sb, "shipdeck_leader", "gauge", "1 while this agent holds the leader lease and writes the records.");
        sb.append("shipdeck_leader ").append(leading.get() ? 1 : 0).append('\n');
        return sb.toString();
    }

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        header(sb, name, "counter", help);
        sb.append(name).append(' ').append(value).append('\n');
    }
}
