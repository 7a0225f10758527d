package dev.shipdeck.core.model;

/** The workload kinds Shipdeck manages. */
public enum WorkloadKind {
    DEPLOYMENT("Deployment", ReleaseType.DEPLOYMENT),
    ROLLOUT("Rollout", ReleaseType.PROGRESSIVE);

    private final String kind;
    private final ReleaseType releaseType;

    WorkloadKind(String kind, ReleaseType releaseType) {
        this.kind = kind;
        this.releaseType = releaseType;
    }

    /** The Kubernetes kind, e.g. {@code Deployment}. */
    public String kind() { return kind; }

    public ReleaseType releaseType() { return releaseType; }
}
