package dev.shipdeck.app.main;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartupOptionsTest {
    @Test
    void withoutOptionsTheDefaultKubeconfigOpens() {
        StartupOptions o = StartupOptions.parse(List.of());
        assertThat(o.source()).isEqualTo(SessionSource.kubeconfig(null));
    }

    @Test
    void demoScreenshotsAndBenchmarkPickTheirSource() {
        assertThat(StartupOptions.parse(List.of("--demo")).source().kind()).isEqualTo(SessionSource.Kind.DEMO);
        assertThat(StartupOptions.parse(List.of("--demo", "--demo-user", "viewer")).source()).isEqualTo(SessionSource.demo("viewer"));
        assertThat(StartupOptions.parse(List.of("--sim-components", "5000")).source()).isEqualTo(SessionSource.benchmark(5000));
        assertThat(StartupOptions.parse(List.of("--kubeconfig", "/tmp/k")).source()).isEqualTo(SessionSource.kubeconfig("/tmp/k"));
    }

    @Test
    void verboseCountsLikeTheCli() {
        assertThat(StartupOptions.parse(List.of()).verbosity()).isZero();
        assertThat(StartupOptions.parse(List.of("-v", "--demo")).verbosity()).isEqualTo(1);
        assertThat(StartupOptions.parse(List.of("--verbose", "-v")).verbosity()).isEqualTo(2);
        assertThat(StartupOptions.parse(List.of("-vv")).verbosity()).isEqualTo(2);
        assertThat(StartupOptions.USAGE).contains("-v, --verbose");
    }

    @Test
    void mistakesAreSaidPlainly() {
        assertThatThrownBy(() -> StartupOptions.parse(List.of("--kubeconfig"))).hasMessage("--kubeconfig needs a value");
        assertThatThrownBy(() -> StartupOptions.parse(List.of("--frobnicate"))).hasMessage("unknown option --frobnicate");
        assertThatThrownBy(() -> StartupOptions.parse(List.of("--theme", "blue"))).hasMessageContaining("light or dark");
        assertThatThrownBy(() -> StartupOptions.parse(List.of("--sim-components", "many"))).hasMessageContaining("a number");
    }
}
