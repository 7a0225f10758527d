package dev.shipdeck.core.commands;

import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.model.WorkloadKind;
import dev.shipdeck.core.workload.Conventions;
import dev.shipdeck.core.workload.WorkloadFacts;

import java.util.Locale;
import java.util.Map;

/**
 * The state rules that decide whether an action makes sense now, with the reason a UI shows when it does not.
 * Evaluated on typed state: the facts of a fresh read before a command, or the snapshot's workload to offer it.
 */
final class Guards {
    private Guards() {}

    /**
     * What the guards look at.
     *
     * @param paused {@code spec.paused}
     * @param aborted a Rollout whose update was aborted (its status says so, or its verdict is CANCELLED)
     */
    record State(WorkloadKind kind, String name, Map<String, String> annotations, boolean paused, boolean aborted,
                 ReleaseStatus status, String phase, boolean fullyPromoted) {
        static State of(WorkloadFacts f) {
            return new State(f.kind(), f.name(), f.annotations(), f.paused(), f.aborted(), f.verdict().status(), f.verdict().phase(),
                    f.canary() != null && f.canary().fullyPromoted());
        }

        static State of(Workload w) {
            boolean rollout = w.rollout() != null;
            return new State(w.kind(), w.name(), w.annotations(), rollout ? w.rollout().manuallyPaused() : w.verdict().paused(),
                    rollout && (w.rollout().aborted() || w.verdict().aborted() || w.verdict().status() == ReleaseStatus.CANCELLED),
                    w.verdict().status(), w.verdict().phase(), rollout && w.rollout().fullyPromoted());
        }
    }

    /** Null when allowed, else why not. */
    static String refusal(Action a, State s) {
        if (a.rolloutOnly() && s.kind() != WorkloadKind.ROLLOUT) {
            return a.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " applies to Argo Rollouts only; " + s.name() + " is a Deployment";
        }
        String off = Conventions.disabledBy(s.annotations(), a);
        if (off != null) return "turned off for this component by the annotation " + off + ": \"false\"";
        if (s.kind() == WorkloadKind.DEPLOYMENT) {
            if (a == Action.RESTORE_VERSION && s.paused()) {
                return "the Deployment is paused: kubectl refuses to roll back a paused deployment; resume it first (kubectl rollout resume)";
            }
            if (a == Action.SHIP && s.paused()) {
                return "the Deployment is paused: a new pod template would not roll out; resume it first (kubectl rollout resume)";
            }
            if (a == Action.RESTART && s.paused()) {
                return "the Deployment is paused: kubectl cannot restart a paused deployment; resume it first (kubectl rollout resume)";
            }
            return null;
        }
        return switch (a) {
            case PROMOTE, PROMOTE_FULL -> s.aborted() ? "the rollout is aborted: retry it before promoting"
                    : s.fullyPromoted() && !s.paused() ? "nothing to promote: the rollout is fully promoted" : null;
            case RETRY -> s.aborted() ? null : "only an aborted rollout can be retried";
            case CANCEL -> !s.aborted() && s.status() == ReleaseStatus.RUNNING ? null
                    : "only a progressing or paused rollout can be cancelled (it is " + s.phase() + ")";
            default -> null;
        };
    }
}
