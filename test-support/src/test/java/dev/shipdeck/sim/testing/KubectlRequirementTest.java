package dev.shipdeck.sim.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without kubectl the kubectl tests skip with a notice — unless CI asked for them (SHIPDECK_REQUIRE_KUBECTL=1): then they fail. */
class KubectlRequirementTest {
    @Test
    void aMissingKubectlSkipsByDefault() {
        assertThatThrownBy(() -> Kubectl.assumeAvailable(false, Map.of())).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining(Kubectl.SKIP_NOTICE);
        assertThatThrownBy(() -> Kubectl.assumeAvailable(false, Map.of(Kubectl.REQUIRE_VARIABLE, "0")))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void aMissingKubectlFailsWhenCiRequiresIt() {
        for (String yes : new String[] {"1", "true", "TRUE"}) {
            assertThatThrownBy(() -> Kubectl.assumeAvailable(false, Map.of(Kubectl.REQUIRE_VARIABLE, yes)))
                    .isInstanceOf(AssertionError.class).isNotInstanceOf(TestAbortedException.class)
                    .hasMessageStartingWith("kubectl is not on the PATH, but SHIPDECK_REQUIRE_KUBECTL=" + yes + " requires");
        }
    }

    @Test
    void aKubectlOnThePathRunsTheTests() {
        assertThatCode(() -> Kubectl.assumeAvailable(true, Map.of(Kubectl.REQUIRE_VARIABLE, "1"))).doesNotThrowAnyException();
        assertThatCode(() -> Kubectl.assumeAvailable(true, Map.of())).doesNotThrowAnyException();
    }
}
