package dev.shipdeck.core.status;

import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.StatusVerdict;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A workload's history: kept ReplicaSets restorable, versions known only from Release records shown and marked, digest changes flagged. */
class VersionHistoryTest {
    private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    private static VersionInfo rs(String version, String hash, long revision, String image, boolean current) {
        return new VersionInfo(version, hash, revision, "web-" + hash, current ? 2 : 0, current ? 2 : 0, current ? 2 : 0,
                T.plusSeconds(revision), List.of(image), Trigger.NONE, current, false);
    }

    private static Workload web(List<VersionInfo> versions) {
        return new Workload(WorkloadKind.DEPLOYMENT, "shop", "web", "uid-1", versions.get(0).version(), versions.get(0).templateHash(),
                versions.get(0).revision(), 2, 2, 2, 2, StatusVerdict.of(ReleaseStatus.SUCCESS, "Healthy", ""), Labels.NONE, Set.of(), Map.of(),
                Trigger.NONE, versions, null, T, T, null);
    }

    private static Release record(String version, String hash, long revision, String workload) {
        return new Release("shop/" + workload + "-" + hash, "web", "prod", "shop", WorkloadKind.DEPLOYMENT, workload, version, "",
                ReleaseType.DEPLOYMENT, ReleaseStatus.SUCCESS, "", T.plusSeconds(revision), T.plusSeconds(revision + 1), Trigger.NONE, "agent",
                false, hash, revision);
    }

    @Test
    void versionsOnlyTheRecordsKnowAreShownButNotRestorable() {
        Workload w = web(List.of(rs("3.0.0", "h3", 3, "example/web:3.0.0", true), rs("2.0.0", "h2", 2, "example/web:2.0.0", false)));
        List<VersionInfo> history = VersionHistory.of(w, List.of(record("3.0.0", "h3", 3, "web"), record("2.0.0", "h2", 2, "web"),
                record("1.0.0", "h1", 1, "web"), record("0.9.0", "h0", 1, "other-workload")));

        assertThat(history).extracting(VersionInfo::version).containsExactly("3.0.0", "2.0.0", "1.0.0");
        assertThat(history.subList(0, 2)).allMatch(VersionInfo::restorable);
        VersionInfo gone = history.get(2);
        assertThat(gone.restorable()).isFalse();
        assertThat(gone.notRestorable()).isEqualTo("not restorable (outside revision history)");
        assertThat(gone.replicaSetName()).isEmpty();
        assertThat(gone.active()).isFalse();
    }

    @Test
    void theKeptVersionsComeFirstThenTheGoneOnesNewestFirstAndAKeptVersionIsNotListedAgain() {
        // the workload was made anew: its records from before have revisions of their own and other template hashes
        Workload w = web(List.of(rs("3.0.0", "h3", 2, "example/web:3.0.0", true), rs("2.9.0", "h29", 1, "example/web:2.9.0", false)));
        Release before1 = record("2.8.0", "old28", 5, "web");
        Release before2 = new Release("shop/web-old29", "web", "prod", "shop", WorkloadKind.DEPLOYMENT, "web", "2.9.0", "",
                ReleaseType.DEPLOYMENT, ReleaseStatus.SUCCESS, "", T.minusSeconds(50), T.minusSeconds(40), Trigger.NONE, "agent", false, "old29", 6);
        Release before3 = new Release("shop/web-old27", "web", "prod", "shop", WorkloadKind.DEPLOYMENT, "web", "2.7.0", "",
                ReleaseType.DEPLOYMENT, ReleaseStatus.SUCCESS, "", T.minusSeconds(900), T.minusSeconds(800), Trigger.NONE, "agent", false, "old27", 7);
        List<VersionInfo> history = VersionHistory.of(w, List.of(before3, before1, before2));
        assertThat(history).extracting(v -> v.version() + "@" + v.revision() + (v.restorable() ? "" : " gone"))
                .containsExactly("3.0.0@2", "2.9.0@1", "2.8.0@5 gone", "2.7.0@7 gone");
    }

    @Test
    void aTemplateRolledBackToIsOneVersionAtItsNewestRevision() {
        Workload w = web(List.of(rs("2.0.0", "h2", 4, "example/web:2.0.0", true)));
        List<VersionInfo> history = VersionHistory.of(w, List.of(record("1.0.0", "h1", 1, "web"), record("1.0.0", "h1", 3, "web"),
                record("2.0.0", "h2", 2, "web")));
        assertThat(history).extracting(v -> v.version() + "@" + v.revision()).containsExactly("2.0.0@4", "1.0.0@3");
    }

    @Test
    void aVersionPinnedToADigestOtherThanANewerRevisionPinsForTheSameTagIsFlagged() {
        Workload w = web(List.of(rs("1.0.1", "h2", 2, "example/web:1.0.0@" + B, true), rs("1.0.0", "h1", 1, "example/web:1.0.0@" + A, false)));
        List<VersionInfo> history = VersionHistory.of(w, List.of());
        assertThat(history.get(0).digestNote()).as("the newest has nothing newer").isNull();
        assertThat(history.get(1).digestNote()).isEqualTo("image digest changed since: docker.io/example/web:1.0.0 is sha256:bbbbbbbbbbbb… "
                + "in revision 2, this version pins sha256:aaaaaaaaaaaa…");
        assertThat(history.get(1).restorable()).as("flagged, not refused").isTrue();

        Workload sameDigest = web(List.of(rs("1.0.1", "h2", 2, "web:1.0.0@" + A, true), rs("1.0.0", "h1", 1, "docker.io/library/web:1.0.0@" + A, false)));
        assertThat(VersionHistory.of(sameDigest, List.of())).allMatch(v -> v.digestNote() == null);
    }
}
