package dev.shipdeck.app.common;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TimesTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void startedAndTookAgreeForAReleaseStillRunning() {
        for (Duration d : new Duration[] {Duration.ofSeconds(45), Duration.ofMinutes(7).plusSeconds(3), Duration.ofMinutes(42),
                Duration.ofHours(3).plusMinutes(20), Duration.ofHours(43), Duration.ofDays(3)}) {
            Instant started = NOW.minus(d);
            String took = Times.took(Duration.between(started, NOW));
            String ago = Times.ago(started, NOW);
            assertThat(ago).as("started %s before", d).isEqualTo(took + " ago");
        }
    }

    @Test
    void readsLikeAPersonWouldSayIt() {
        assertThat(Times.ago(NOW.minusSeconds(5), NOW)).isEqualTo("just now");
        assertThat(Times.ago(NOW.minus(Duration.ofHours(43)), NOW)).isEqualTo("1 d 19 h ago");
        assertThat(Times.ago(NOW.minus(Duration.ofDays(2)), NOW)).isEqualTo("2 d ago");
        assertThat(Times.took(Duration.ofHours(2))).isEqualTo("2 h");
        assertThat(Times.took(null)).isEqualTo("—");
    }
}
