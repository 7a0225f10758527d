package dev.shipdeck.core.matrix;

import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import dev.shipdeck.core.model.ReleaseType;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.model.StatusVerdict;
import dev.shipdeck.core.model.Trigger;
import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;
import dev.shipdeck.core.model.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.shipdeck.core.matrix.Matrix.Highlight.AHEAD;
import static dev.shipdeck.core.matrix.Matrix.Highlight.BEHIND;
import static dev.shipdeck.core.matrix.Matrix.Highlight.DRIFT;
import static dev.shipdeck.core.matrix.Matrix.Highlight.IN_PROGRESS;
import static dev.shipdeck.core.matrix.Matrix.Highlight.MISSING;
import static org.assertj.core.api.Assertions.assertThat;

class MatrixBuilderTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A component running the last of {@code history} (oldest first) with {@code image}, in {@code env}. */
    private static Component comp(String env, String name, ReleaseStatus status, String image, String labels, String... history) {
        String version = history[history.length - 1];
        VersionInfo v = new VersionInfo(version, "h-" + version, history.length, name + "-" + version, 2, 2, 2, T0, List.of(image),
                Trigger.NONE, true, true);
        Workload w = new Workload(WorkloadKind.DEPLOYMENT, "ns", name, "uid-" + name, version, "h-" + version, history.length, 2,
                status == ReleaseStatus.RUNNING ? 1 : 2, 2, 2, StatusVerdict.of(status, status == ReleaseStatus.RUNNING ? "Progressing" : "Healthy", ""),
                Labels.parse(labels), Set.of(), Map.of(), Trigger.NONE, List.of(v), null, T0, T0, null);
        return new Component(name, env, List.of(w), Labels.parse(labels));
    }

    private static List<Release> releases(String env, String name, String... history) {
        List<Release> out = new ArrayList<>();
        for (int i = 0; i < history.length; i++) {
            out.add(new Release(env + "/" + name + "/" + i, name, env, "ns", WorkloadKind.DEPLOYMENT, name, history[i], i == 0 ? "" : history[i - 1],
                    ReleaseType.DEPLOYMENT, ReleaseStatus.SUCCESS, "", T0.plusSeconds(60L * i), T0.plusSeconds(60L * i + 30), Trigger.NONE,
                    "derived", false, "h-" + history[i], i + 1));
        }
        return out;
    }

    private static EnvironmentSnapshot env(String name, List<Component> comps, List<Release> rels) {
        return new EnvironmentSnapshot(new Environment(name, name, name, List.of(), Labels.NONE, 0), ConnectionState.CONNECTED, comps, rels, true, T0);
    }

    private static Matrix demo() {
        List<Release> dev = new ArrayList<>(releases("dev", "checkout", "4.0.0", "4.1.0", "4.2.0", "4.3.0"));
        dev.addAll(releases("dev", "search", "1.0.0", "1.1.0"));
        dev.addAll(releases("dev", "cart", "8.0.0"));
        List<Release> staging = new ArrayList<>(releases("staging", "checkout", "4.0.0", "4.1.0"));
        staging.addAll(releases("staging", "search", "1.0.0", "1.1.0", "1.2.0"));
        staging.addAll(releases("staging", "cart", "8.0.0"));
        List<Release> prod = new ArrayList<>(releases("prod-eu", "checkout", "4.0.0", "4.1.0"));
        prod.addAll(releases("prod-eu", "search", "1.0.0", "1.1.0"));
        Snapshot s = new Snapshot(List.of(
                env("prod-eu", List.of(
                        comp("prod-eu", "checkout", ReleaseStatus.SUCCESS, "reg/checkout@sha256:bbb", "team:payments", "4.0.0", "4.1.0"),
                        comp("prod-eu", "search", ReleaseStatus.RUNNING, "reg/search:1.1.0", "team:search", "1.0.0", "1.1.0")), prod),
                env("staging", List.of(
                        comp("staging", "checkout", ReleaseStatus.SUCCESS, "reg/checkout@sha256:aaa", "team:payments", "4.0.0", "4.1.0"),
                        comp("staging", "search", ReleaseStatus.SUCCESS, "reg/search:1.2.0", "team:search", "1.0.0", "1.1.0", "1.2.0"),
                        comp("staging", "cart", ReleaseStatus.SUCCESS, "reg/cart:8.0.0", "team:storefront", "8.0.0")), staging),
                env("dev", List.of(
                        comp("dev", "checkout", ReleaseStatus.SUCCESS, "reg/checkout:4.3.0", "team:payments", "4.0.0", "4.1.0", "4.2.0", "4.3.0"),
                        comp("dev", "search", ReleaseStatus.SUCCESS, "reg/search:1.1.0", "team:search", "1.0.0", "1.1.0"),
                        comp("dev", "cart", ReleaseStatus.SUCCESS, "reg/cart:8.0.0", "team:storefront", "8.0.0")), dev)), 7);
        return MatrixBuilder.build(s, PromotionOrder.of(s.environments().stream().map(EnvironmentSnapshot::environment).toList(), List.of()));
    }

    @Test
    void oneRowPerComponentOneColumnPerEnvironmentInPromotionOrder() {
        Matrix m = demo();
        assertThat(m.environments()).containsExactly("dev", "staging", "prod-eu");
        assertThat(m.rows()).extracting(Matrix.Row::component).containsExactly("cart", "checkout", "search");
        Matrix.Cell c = m.cell("checkout", "prod-eu");
        assertThat(c.version()).isEqualTo("4.1.0");
        assertThat(c.status()).isEqualTo(ReleaseStatus.SUCCESS);
        assertThat(c.ready()).isEqualTo(2);
        assertThat(c.desired()).isEqualTo(2);
        assertThat(c.images()).containsExactly("reg/checkout@sha256:bbb");
        assertThat(c.digests()).containsExactly("sha256:bbb");
        assertThat(m.column("prod-eu").production()).isTrue();
        assertThat(m.column("prod-eu").previous()).isEqualTo("staging");
    }

    @Test
    void behindAndAheadCountTheReleasesInTheHistoryOfTheOneAhead() {
        Matrix m = demo();
        Matrix.Cell staging = m.cell("checkout", "staging");
        assertThat(staging.highlights()).containsExactly(BEHIND);
        assertThat(staging.releasesApart()).isEqualTo(2); // dev went 4.1.0 -> 4.2.0 -> 4.3.0
        assertThat(staging.markers()).containsExactly("BEHIND 2");
        assertThat(staging.explanation()).isEqualTo("2 releases behind dev (4.3.0)");

        Matrix.Cell stagingSearch = m.cell("search", "staging");
        assertThat(stagingSearch.highlights()).containsExactly(AHEAD);
        assertThat(stagingSearch.releasesApart()).isEqualTo(1);
        assertThat(m.cell("checkout", "dev").highlights()).isEmpty(); // the first of its lane
    }

    @Test
    void sameVersionOtherImagesIsDriftAMissingComponentAndARunningReleaseAreMarked() {
        Matrix m = demo();
        assertThat(m.cell("checkout", "prod-eu").highlights()).containsExactly(DRIFT);
        assertThat(m.cell("cart", "prod-eu").highlights()).containsExactly(MISSING);
        assertThat(m.cell("cart", "prod-eu").present()).isFalse();
        assertThat(m.cell("search", "prod-eu").highlights()).containsExactly(BEHIND, IN_PROGRESS);
        assertThat(m.cell("search", "prod-eu").releasesApart()).isEqualTo(1);
        assertThat(m.cell("cart", "staging").highlights()).isEmpty();
    }

    @Test
    void versionsNoHistoryKnowsAreComparedAsDottedNumbers() {
        assertThat(MatrixBuilder.compareVersions("4.10.0", "4.9.1")).isPositive();
        assertThat(MatrixBuilder.compareVersions("v1.2", "1.2.0")).isZero();
        assertThat(MatrixBuilder.compareVersions("1.2.0", "1.3.0-rc1")).isNegative();
    }

    @Test
    void labelsSearchAndEnvironmentsFilterRowsAndColumns() {
        Matrix m = demo().filter(LabelFilter.parse(List.of("team:payments", "team:search")), "CHECK", List.of("staging", "prod-eu"));
        assertThat(m.environments()).containsExactly("staging", "prod-eu");
        assertThat(m.rows()).extracting(Matrix.Row::component).containsExactly("checkout");
        // the highlights stay those against the hidden column
        assertThat(m.cell("checkout", "staging").highlights()).containsExactly(BEHIND);
    }
}
