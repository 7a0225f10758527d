package dev.shipdeck.core.commands;

import dev.shipdeck.core.model.Action;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the Event of a command says: one reason per action, who did what (in the past tense) and why, within the API server's limits. */
class CommandEventsTest {
    private static CommandRequest request(Action a, String reason) {
        return new CommandRequest(a, "prod", "web", "shop", "web", Map.of(), reason, "");
    }

    @Test
    void everyActionHasItsOwnReason() {
        Set<String> reasons = new HashSet<>();
        for (Action a : Action.values()) reasons.add(CommandEvents.reason(a));
        assertThat(reasons).hasSize(Action.values().length).allMatch(r -> r.startsWith("Shipdeck"));
        assertThat(CommandEvents.reason(Action.CANCEL)).isEqualTo("ShipdeckAbort");
        assertThat(CommandEvents.reason(Action.PROMOTE_FULL)).isEqualTo("ShipdeckPromoteFull");
        assertThat(CommandEvents.reason(Action.EDIT_LABELS)).isEqualTo("ShipdeckLabel");
    }

    @Test
    void theMessageSaysWhoDidWhatAndWhy() {
        assertThat(CommandEvents.message(request(Action.RESTORE_VERSION, "2.3 broke checkout"), "alice", "web", Outcome.SUCCEEDED,
                "restore web to version 1.2.0 (revision 3)")).isEqualTo("alice restored web to version 1.2.0 (revision 3): 2.3 broke checkout");
        assertThat(CommandEvents.message(request(Action.RESTART, ""), "bob", "web", Outcome.SUCCEEDED, "restart the pods of web"))
                .isEqualTo("bob restarted the pods of web");
        assertThat(CommandEvents.message(request(Action.RETRY, ""), "bob", "cart", Outcome.SUCCEEDED, "retry the aborted rollout of cart"))
                .isEqualTo("bob retried the aborted rollout of cart");
        assertThat(CommandEvents.message(request(Action.CANCEL, "bad canary"), "bob", "cart", Outcome.FAILED, "the API server refused: boom"))
                .isEqualTo("bob tried to cancel the rollout of cart, which failed: the API server refused: boom: bad canary");
        assertThat(CommandEvents.message(request(Action.EDIT_LABELS, ""), "carol", "web", Outcome.SUCCEEDED, "set the labels of web to team:shop (were: none)"))
                .isEqualTo("carol set the labels of web to team:shop (were: none)");
    }

    @Test
    void aLongMessageIsCutToWhatTheApiServerTakes() {
        String msg = CommandEvents.message(request(Action.SCALE, "é".repeat(600)), "alice", "web", Outcome.SUCCEEDED, "scale web from 1 to 2 replicas");
        assertThat(msg.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        assertThat(msg).startsWith("alice scaled web from 1 to 2 replicas: éé").endsWith("…");
    }
}
