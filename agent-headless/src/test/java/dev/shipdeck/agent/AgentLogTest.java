package dev.shipdeck.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent logs JSON lines, library output included, with no secret in them. */
class AgentLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> lines(ByteArrayOutputStream out) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) all.add(JSON.readTree(l));
        return all;
    }

    @Test
    void entriesAreJsonLinesWithoutSecrets() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentLog log = new AgentLog(new PrintStream(out, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC), () -> Set.of("s3cr3t-token-value"));

        log.warn("request failed with s3cr3t-token-value", "error", "Authorization: Bearer abc.def.ghi", "code", 401, "leading", true);

        JsonNode line = lines(out).get(0);
        assertThat(line.path("time").asText()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(line.path("level").asText()).isEqualTo("warn");
        assertThat(line.path("msg").asText()).isEqualTo("request failed with [redacted]");
        assertThat(line.path("error").asText()).doesNotContain("abc.def.ghi");
        assertThat(line.path("code").asInt()).isEqualTo(401);
        assertThat(line.path("leading").asBoolean()).isTrue();
    }

    @Test
    void whatLibrariesPrintOnStderrBecomesJsonLines() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new AgentLog(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC(), Set::of).captureLibraryOutput();
            System.err.println("[OkHttp pool] WARN io.fabric8.Watcher - watch closed");
            System.err.println("a plain line");
        } finally {
            System.setErr(original);
        }
        List<JsonNode> lines = lines(out);
        assertThat(lines.get(0).path("level").asText()).isEqualTo("warn");
        assertThat(lines.get(0).path("logger").asText()).isEqualTo("io.fabric8.Watcher");
        assertThat(lines.get(0).path("msg").asText()).isEqualTo("watch closed");
        assertThat(lines.get(1).path("msg").asText()).isEqualTo("a plain line");
    }
}
