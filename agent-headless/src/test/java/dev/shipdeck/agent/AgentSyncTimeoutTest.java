package dev.shipdeck.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.model.ReleaseStatus;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.shipdeck.agent.AgentFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent whose cluster cannot be listed (every list of Deployments after the first answers 500) does not wait in
 * silence: after its sync timeout it logs why, {@code /readyz} says why, and it goes on trying until the list works.
 */
class AgentSyncTimeoutTest extends AgentFixtureBase {
    @Test
    void anAgentThatCannotListTheClusterSaysWhyAndRecoversWhenItCan() {
        fx.deploy("web", "1.0.0");
        AtomicInteger lists = new AtomicInteger();
        fx.cluster.faults().fail(c -> c.method().equals("GET") && !c.watch() && c.path().equals("/apis/apps/v1/deployments")
                && lists.incrementAndGet() > 1, 500, Integer.MAX_VALUE);
        try (AgentProcess agent = AgentProcess.start(fx.kubeconfig, "agent-a", "--sync-timeout", "3s")) {
            eventually().until(() -> agent.log().stream().anyMatch(l -> l.path("msg").asText().startsWith("the workloads of the cluster are not listed yet")));
            JsonNode warning = agent.log().stream().filter(l -> l.path("msg").asText().startsWith("the workloads of the cluster are not listed yet"))
                    .findFirst().orElseThrow();
            assertThat(warning.path("level").asText()).isEqualTo("warn");
            assertThat(warning.path("state").asText()).startsWith("retrying (").contains("500");
            HttpResponse<String> notReady = agent.get("/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).startsWith("not ready: the workloads of the cluster are not listed yet (retrying (").contains("500");
            assertThat(fx.releases("web")).as("nothing is written from a cluster it could not list").isEmpty();

            fx.cluster.faults().clear();
            eventually().until(() -> agent.get("/readyz").statusCode() == 200);
            assertThat(agent.get("/readyz").body()).isEqualTo("ok\n");
            fx.awaitReleases("web", 1, ReleaseStatus.SUCCESS);
        }
    }
}
