package dev.shipdeck.agent;

import dev.shipdeck.core.model.ReleaseStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent keeps library warnings, as JSON lines of its log (a log collector sees nothing but JSON). */
class AgentLogLinesTest extends AgentFixtureBase {
    @Test
    void libraryWarningsBecomeJsonLinesWithTheirLogger() {
        fx.deploy("web", "1.0.0");
        try (AgentProcess agent = AgentProcess.start(fx.kubeconfig, "agent-log")) {
            fx.awaitReleases("web", 1, ReleaseStatus.SUCCESS);
            agent.kill();
            assertThat(agent.log()).as("JSON lines only").anySatisfy(l -> {
                assertThat(l.path("logger").asText()).isEqualTo("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils");
                assertThat(l.path("level").asText()).isEqualTo("warn");
                assertThat(l.path("msg").asText()).contains("v1alpha1");
            });
        }
    }
}
