package dev.shipdeck.core.insights;

import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.shipdeck.core.model.ReleaseStatus.CANCELLED;
import static dev.shipdeck.core.model.ReleaseStatus.FAILED;
import static dev.shipdeck.core.model.ReleaseStatus.LOGGED;
import static dev.shipdeck.core.model.ReleaseStatus.PENDING;
import static dev.shipdeck.core.model.ReleaseStatus.RUNNING;
import static dev.shipdeck.core.model.ReleaseStatus.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each measure on hand-made histories; every expected number is worked out by hand in the comments. */
class DeliveryInsightsTest {
    private static final Period WEEK = new Period(t("11-01T00:00"), t("11-08T00:00"));
    private int revision;

    private static Instant t(String monthDayTime) {
        return Instant.parse("2026-" + monthDayTime + ":00Z");
    }

    private Release rel(String env, String component, String version, ReleaseStatus status, String start, String end,
                        String commit, boolean rollback) {
        Trigger trigger = new Trigger("", "", "", "", commit == null ? null : t(commit));
        revision++;
        return new Release(env + "/" + component + "/" + revision, component, env, "shop", WorkloadKind.DEPLOYMENT, component, version,
                "", ReleaseType.DEPLOYMENT, status, "", start == null ? null : t(start), end == null ? null : t(end), trigger,
                "agent", rollback, "h" + revision, revision);
    }

    private Release rel(String env, String version, ReleaseStatus status, String start, String end, String commit) {
        return rel(env, "checkout", version, status, start, end, commit, false);
    }

    private Release restore(String env, String version, String start, String end) {
        return rel(env, "checkout", version, SUCCESS, start, end, null, true);
    }

    private List<Release> week() {
        List<Release> h = new ArrayList<>();
        h.add(rel("prod", "0.9", SUCCESS, "10-30T12:00", "10-30T12:10", "10-30T10:10"));   // previous period: lead 2 h
        h.add(rel("prod", "1.0", SUCCESS, "11-01T10:00", "11-01T10:10", "11-01T09:10"));   // lead 1 h
        h.add(rel("prod", "1.1", FAILED, "11-02T10:00", "11-02T10:30", "11-02T08:00"));    // failed; restored 10:30 -> 11:15
        h.add(restore("prod", "1.0", "11-02T11:00", "11-02T11:15"));                        // a deployment, not a change
        h.add(rel("prod", "1.2", SUCCESS, "11-03T09:00", "11-03T09:20", "11-02T21:20"));   // lead 12 h; restored 6 h later: failed
        h.add(restore("prod", "1.0", "11-03T15:00", "11-03T15:10"));                        // restore took 09:20 -> 15:10 = 5 h 50 min
        h.add(rel("prod", "1.3", CANCELLED, "11-05T08:00", "11-05T08:05", null));          // superseded: failed, restored at 08:30
        h.add(rel("prod", "1.4", SUCCESS, "11-05T08:05", "11-05T08:30", null));            // lead unknown
        h.add(rel("prod", "1.5", RUNNING, "11-07T23:00", null, null));                     // in progress at the edge
        h.add(rel("staging", "1.2", LOGGED, "11-04T12:00", null, "11-04T11:00"));          // a logged deploy: lead 1 h
        h.add(rel("staging", "1.6", PENDING, null, null, null));                           // planned, never started
        return h;
    }

    @Test
    void theFourMeasuresOfAWeek() {
        Insights in = DeliveryInsights.compute(week(), WEEK, ZoneOffset.UTC, "environment", Release::environment);
        Measures m = in.current();
        assertThat(m.releases()).as("9 started in the week (not the pending one, not the one of October)").isEqualTo(9);
        assertThat(m.inProgress()).isEqualTo(1);
        assertThat(m.deployments()).as("1.0, restore, 1.2, restore, 1.4, logged 1.2").isEqualTo(6);
        assertThat(m.deploymentsPerDay()).isCloseTo(6 / 7.0, within(1e-9));
        assertThat(m.leadTimesKnown()).as("1 h, 12 h, 1 h; 1.4 unknown; restores are no changes").isEqualTo(3);
        assertThat(m.leadTime()).isEqualTo(Duration.ofHours(1));
        assertThat(m.changes()).as("1.0, 1.1, 1.2, 1.3, 1.4, staging 1.2").isEqualTo(6);
        assertThat(m.failedChanges()).as("1.1 failed, 1.2 restored within a day, 1.3 cancelled").isEqualTo(3);
        assertThat(m.changeFailureRate()).isEqualTo(0.5);
        assertThat(m.restored()).isEqualTo(3);
        assertThat(m.timeToRestore()).as("median of 45 min, 5 h 50 min, 25 min").isEqualTo(Duration.ofMinutes(45));

        Measures before = in.previous();
        assertThat(before.releases()).isEqualTo(1);
        assertThat(before.deployments()).isEqualTo(1);
        assertThat(before.leadTime()).isEqualTo(Duration.ofHours(2));
        assertThat(before.changeFailureRate()).isEqualTo(0.0);
        assertThat(before.timeToRestore()).isNull();
    }

    @Test
    void releasesPerDayByStatusLeadTimeBucketsAndGroups() {
        Insights in = DeliveryInsights.compute(week(), WEEK, ZoneOffset.UTC, "environment", Release::environment);
        assertThat(in.days()).extracting(Insights.Day::date).containsExactly(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-02"),
                LocalDate.parse("2026-11-03"), LocalDate.parse("2026-11-04"), LocalDate.parse("2026-11-05"), LocalDate.parse("2026-11-06"),
                LocalDate.parse("2026-11-07"));
        assertThat(in.days()).extracting(Insights.Day::releases).containsExactly(
                Map.of(SUCCESS, 1), Map.of(FAILED, 1, SUCCESS, 1), Map.of(SUCCESS, 2), Map.of(LOGGED, 1),
                Map.of(CANCELLED, 1, SUCCESS, 1), Map.of(), Map.of(RUNNING, 1));
        assertThat(in.days().get(1).measures().changeFailureRate()).as("11-02: 1.1 failed, the restore is no change").isEqualTo(1.0);
        assertThat(in.days().get(2).measures().deploymentsPerDay()).isEqualTo(2.0);

        assertThat(in.leadTimes()).extracting(Insights.Bucket::count).as("1 h twice (up to 1 h), 12 h once").containsExactly(2, 0, 1, 0, 0);

        assertThat(in.groupedBy()).isEqualTo("environment");
        assertThat(in.groups()).extracting(Insights.Group::name).containsExactly("prod", "staging");
        Measures prod = in.groups().get(0).measures();
        assertThat(prod.releases()).isEqualTo(8);
        assertThat(prod.changeFailureRate()).as("3 of 1.0, 1.1, 1.2, 1.3, 1.4").isEqualTo(0.6);
        assertThat(prod.leadTime()).as("median of 1 h and 12 h").isEqualTo(Duration.ofMinutes(390));
        Measures staging = in.groups().get(1).measures();
        assertThat(staging.deployments()).isEqualTo(1);
        assertThat(staging.changeFailureRate()).isEqualTo(0.0);
    }

    @Test
    void noReleasesGiveZeroesAndUnknowns() {
        Measures m = DeliveryInsights.compute(List.of(), WEEK, ZoneOffset.UTC, "team", r -> "").current();
        assertThat(m.releases()).isZero();
        assertThat(m.deploymentsPerDay()).isZero();
        assertThat(m.leadTime()).isNull();
        assertThat(m.changeFailureRate()).as("no change: no rate, not 0 %").isNull();
        assertThat(m.timeToRestore()).isNull();
    }

    @Test
    void onlyFailuresAreAFailureRateOfOneAndNothingRestored() {
        List<Release> h = List.of(rel("prod", "2.0", FAILED, "11-02T10:00", "11-02T10:20", "11-02T09:00"),
                rel("prod", "2.1", FAILED, "11-03T10:00", "11-03T10:20", "11-03T09:00"));
        Measures m = DeliveryInsights.compute(h, WEEK, ZoneOffset.UTC, "team", r -> "").current();
        assertThat(m.changeFailureRate()).isEqualTo(1.0);
        assertThat(m.deployments()).isZero();
        assertThat(m.leadTime()).as("failed releases have no lead time").isNull();
        assertThat(m.restored()).isZero();
        assertThat(m.unrestored()).isEqualTo(2);
        assertThat(m.timeToRestore()).isNull();
    }

    @Test
    void aRestoreLaterThanTheWindowIsNotAFailedChangeButARestoreAfterThePeriodCounts() {
        List<Release> h = List.of(rel("prod", "3.0", SUCCESS, "11-02T10:00", "11-02T10:10", null),
                restore("prod", "2.9", "11-03T10:11", "11-03T10:20"),                       // 24 h 1 min after: not a failure of 3.0
                rel("prod", "3.1", FAILED, "11-07T22:00", "11-07T22:30", null),
                rel("prod", "3.2", SUCCESS, "11-08T01:00", "11-08T01:30", null));           // after the period: restores 3.1 in 3 h
        Measures m = DeliveryInsights.compute(h, WEEK, ZoneOffset.UTC, "team", r -> "").current();
        assertThat(m.changes()).isEqualTo(2);
        assertThat(m.failedChanges()).isEqualTo(1);
        assertThat(m.timeToRestore()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void aReleaseCountsInThePeriodItStartedInAndDerivedHistoryWithoutEndsUsesTheStart() {
        List<Release> h = List.of(rel("prod", "4.0", SUCCESS, "10-31T23:50", "11-01T00:20", "10-31T23:00"),   // started before
                rel("prod", "4.1", SUCCESS, "11-04T12:00", null, "11-04T10:30"),                                 // derived: no end
                rel("prod", "4.2", RUNNING, "11-07T23:59", null, "11-07T20:00"));                                // still running
        Insights in = DeliveryInsights.compute(h, WEEK, ZoneOffset.UTC, "team", r -> "");
        assertThat(in.current().releases()).isEqualTo(2);
        assertThat(in.current().inProgress()).isEqualTo(1);
        assertThat(in.current().leadTime()).as("commit 10:30 to the start 12:00").isEqualTo(Duration.ofMinutes(90));
        assertThat(in.current().changes()).as("a running release is no finished change yet").isEqualTo(1);
        assertThat(in.previous().releases()).isEqualTo(1);
    }

    @Test
    void aCommitTimeAfterTheReleaseIsNotALeadTime() {
        List<Release> h = List.of(rel("prod", "5.0", SUCCESS, "11-02T10:00", "11-02T10:10", "11-02T11:00"));
        Measures m = DeliveryInsights.compute(h, WEEK, ZoneOffset.UTC, "team", r -> "").current();
        assertThat(m.leadTimesKnown()).isZero();
        assertThat(m.leadTime()).isNull();
    }

    @Test
    void commitTimesAreReadAsCiToolsPrintThem() {
        assertThat(Trigger.parseCommitTime("2026-11-30T15:05:00+01:00")).isEqualTo(Instant.parse("2026-11-30T14:05:00Z"));
        assertThat(Trigger.parseCommitTime("2026-11-30T14:05:00Z")).isEqualTo(Instant.parse("2026-11-30T14:05:00Z"));
        assertThat(Trigger.parseCommitTime("1796047500")).isEqualTo(Instant.ofEpochSecond(1796047500L));
        assertThat(Trigger.parseCommitTime(" ")).isNull();
        assertThat(Trigger.commitTimeOrNull("yesterday")).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Trigger.parseCommitTime("yesterday"))
                .hasMessageContaining("not a commit time").hasMessageContaining("%cI");
    }
}
