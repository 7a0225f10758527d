package dev.shipdeck.core.model;

import java.util.List;
import java.util.stream.Collectors;

/** The workloads in one environment sharing a {@code shipdeck.dev/component-name} label. */
public record Component(String name, String environment, List<Workload> workloads, Labels labels) {
    public Component {
        workloads = List.copyOf(workloads);
    }

    /** The first workload (by namespace/name); most components have exactly one. */
    public Workload primary() { return workloads.get(0); }

    public String namespace() { return primary().namespace(); }

    public WorkloadKind kind() { return primary().kind(); }

    public String version() {
        List<String> vs = workloads.stream().map(Workload::version).distinct().toList();
        return vs.size() == 1 ? vs.get(0) : String.join(",", vs);
    }

    /** The worst status among the workloads (FAILED over RUNNING over CANCELLED over SUCCESS). */
    public ReleaseStatus status() {
        ReleaseStatus worst = ReleaseStatus.SUCCESS;
        for (Workload w : workloads) {
            if (rank(w.verdict().status()) > rank(worst)) worst = w.verdict().status();
        }
        return worst;
    }

    public StatusVerdict verdict() {
        for (Workload w : workloads) {
            if (w.verdict().status() == status()) return w.verdict();
        }
        return primary().verdict();
    }

    private static int rank(ReleaseStatus s) {
        return switch (s) {
            case FAILED -> 5;
            case RUNNING -> 4;
            case PENDING -> 3;
            case CANCELLED -> 2;
            default -> 1;
        };
    }

    public int readyReplicas() { return workloads.stream().mapToInt(Workload::readyReplicas).sum(); }

    public int desiredReplicas() { return workloads.stream().mapToInt(Workload::desiredReplicas).sum(); }

    public String key() { return environment + "/" + name; }

    public String workloadNames() {
        return workloads.stream().map(w -> w.namespace() + "/" + w.name()).collect(Collectors.joining(","));
    }
}
