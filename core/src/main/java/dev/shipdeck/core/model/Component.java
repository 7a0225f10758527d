package dev.shipdeck.core.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The workloads in one environment sharing a {@code shipdeck.dev/component-name} label — or, before the first of
 * them exists, a component known from its deploy markers only (a team's first deploy is logged before its Deployment
 * is created): then {@code workloads} is empty and {@code planned} says what the newest marker is about.
 *
 * @param planned null while the component has workloads
 */
public record Component(String name, String environment, List<Workload> workloads, Labels labels, Planned planned) {
    /** Why an action that needs a Deployment or Rollout cannot run on a component without one. */
    public static final String NO_WORKLOAD = "no workload yet";

    /**
     * The newest deploy marker of a component that has no workload yet.
     *
     * @param namespace where the marker is kept (normally the component's namespace)
     * @param version the version it announces
     * @param status its status (PENDING for {@code release plan}, LOGGED for {@code release log}, ...)
     */
    public record Planned(String namespace, String version, ReleaseStatus status) {}

    public Component {
        workloads = List.copyOf(workloads);
        labels = labels == null ? Labels.NONE : labels;
        if (workloads.isEmpty() && planned == null) {
            throw new IllegalArgumentException("component " + name + " has neither a workload nor a deploy marker");
        }
    }

    public Component(String name, String environment, List<Workload> workloads, Labels labels) {
        this(name, environment, workloads, labels, null);
    }

    /** A component that has deploy markers but no Deployment or Rollout yet. */
    public static Component withoutWorkload(String name, String environment, Planned planned) {
        return new Component(name, environment, List.of(), Labels.NONE, planned);
    }

    /** False for a component known from its deploy markers only. */
    public boolean hasWorkload() { return !workloads.isEmpty(); }

    /** The first workload (by namespace/name); most components have exactly one. Check {@link #hasWorkload()} first. */
    public Workload primary() {
        if (workloads.isEmpty()) throw new IllegalStateException("component " + name + " in " + environment + ": " + NO_WORKLOAD);
        return workloads.get(0);
    }

    public String namespace() { return hasWorkload() ? primary().namespace() : planned.namespace(); }

    /** The kind of the first workload, or null when there is none yet. */
    public WorkloadKind kind() { return hasWorkload() ? primary().kind() : null; }

    /** The version that runs (several joined with ','), or empty when nothing runs yet. */
    public String version() {
        List<String> vs = workloads.stream().map(Workload::version).distinct().toList();
        return vs.size() == 1 ? vs.get(0) : String.join(",", vs);
    }

    /** The worst status among the workloads (FAILED over RUNNING over CANCELLED over SUCCESS); without one, the newest marker's. */
    public ReleaseStatus status() {
        if (!hasWorkload()) return planned.status();
        ReleaseStatus worst = ReleaseStatus.SUCCESS;
        for (Workload w : workloads) {
            if (rank(w.verdict().status()) > rank(worst)) worst = w.verdict().status();
        }
        return worst;
    }

    public StatusVerdict verdict() {
        if (!hasWorkload()) {
            return StatusVerdict.of(planned.status(), "No workload yet", "release " + planned.version() + " is " + planned.status()
                    + "; nothing runs until a Deployment or Rollout in " + planned.namespace()
                    + " carries the label shipdeck.dev/component-name=" + name);
        }
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
