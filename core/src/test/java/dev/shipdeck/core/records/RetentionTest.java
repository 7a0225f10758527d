package dev.shipdeck.core.records;

import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private static ReleaseRecord release(String component, long revision, ReleaseStatus status, Instant ended) {
        return new ReleaseRecord(component + "-" + revision, "shop", "1",
                new ReleaseRecord.Spec(component, "prod", new ReleaseRecord.WorkloadRef(WorkloadKind.DEPLOYMENT, component, "uid-" + component,
                        "h" + revision, revision), "v" + revision, "", ReleaseType.DEPLOYMENT, "agent", false, Trigger.NONE, ""),
                new ReleaseRecord.Status(status, "", "", ended == null ? NOW : ended.minusSeconds(60), ended, "", "agent"));
    }

    @Test
    void keepsTheNewestPerComponentAndNeverWhatIsInFlightOrTheNewestOfAWorkload() {
        List<ReleaseRecord> all = List.of(
                release("web", 1, ReleaseStatus.SUCCESS, NOW.minusSeconds(500)),
                release("web", 2, ReleaseStatus.FAILED, NOW.minusSeconds(400)),
                release("web", 3, ReleaseStatus.SUCCESS, NOW.minusSeconds(300)),
                release("web", 4, ReleaseStatus.RUNNING, null),
                release("api", 7, ReleaseStatus.SUCCESS, NOW.minusSeconds(100)));

        List<ReleaseRecord> deleted = new Retention(2, Duration.ofDays(90)).releasesToDelete(all, NOW);

        assertThat(deleted).extracting(ReleaseRecord::name).containsExactly("web-1");
    }

    @Test
    void deletesWhatIsOlderThanTheMaximumAgeButKeepsTheAnchor() {
        List<ReleaseRecord> all = List.of(
                release("web", 1, ReleaseStatus.SUCCESS, NOW.minus(Duration.ofDays(40))),
                release("web", 2, ReleaseStatus.SUCCESS, NOW.minus(Duration.ofDays(35))));

        assertThat(new Retention(100, Duration.ofDays(30)).releasesToDelete(all, NOW)).extracting(ReleaseRecord::name).containsExactly("web-1");
    }

    @Test
    void finishedCommandsBeyondTheCountAreDeletedQueuedOnesNever() {
        ReleaseCommandRecord queued = command("q", null, NOW.minusSeconds(10));
        ReleaseCommandRecord newer = command("b", CommandPhase.SUCCEEDED, NOW.minusSeconds(20));
        ReleaseCommandRecord older = command("a", CommandPhase.EXPIRED, NOW.minusSeconds(30));

        assertThat(new Retention(1, Duration.ofDays(30)).commandsToDelete(List.of(queued, newer, older), NOW))
                .extracting(ReleaseCommandRecord::name).containsExactly("a");
    }

    private static ReleaseCommandRecord command(String name, CommandPhase phase, Instant at) {
        return new ReleaseCommandRecord(name, "shop", "1", new ReleaseCommandRecord.Spec(Action.RESTART, "prod", "web", "", Map.of(),
                "alice", at, true, ""), new ReleaseCommandRecord.Status(phase, "", at, phase == null ? null : at, ""));
    }
}
