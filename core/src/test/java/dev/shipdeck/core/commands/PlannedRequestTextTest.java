package dev.shipdeck.core.commands;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one printer of a planned request: the CLI's terminal layout and the desktop dialog's. */
class PlannedRequestTextTest {
    private final PlannedRequest patch = new PlannedRequest("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web/scale",
            "application/merge-patch+json", "{\"spec\":{\"replicas\":3}}");

    @Test
    void theTerminalShowsTheBodyAsSentUnderItsContentType() {
        assertThat(patch.httpText(PlannedRequest.Layout.TERMINAL)).isEqualTo("""
                PATCH /apis/apps/v1/namespaces/shop/deployments/web/scale
                Content-Type: application/merge-patch+json
                {"spec":{"replicas":3}}""");
    }

    @Test
    void theDialogPrettyPrintsTheBodyAfterABlankLine() {
        assertThat(patch.httpText(PlannedRequest.Layout.DIALOG)).isEqualTo("""
                PATCH /apis/apps/v1/namespaces/shop/deployments/web/scale
                Content-Type: application/merge-patch+json

                {
                  "spec" : {
                    "replicas" : 3
                  }
                }""");
        assertThat(new PlannedRequest("GET", "/api", "", "").httpText(PlannedRequest.Layout.DIALOG)).isEqualTo("GET /api");
        assertThat(new PlannedRequest("PATCH", "/x", "text/plain", "not json").httpText(PlannedRequest.Layout.DIALOG))
                .isEqualTo("PATCH /x\nContent-Type: text/plain\n\nnot json");
    }
}
