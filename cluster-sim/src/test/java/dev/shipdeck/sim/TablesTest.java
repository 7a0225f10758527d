package dev.shipdeck.sim;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The ages in server-side tables, at the boundaries of apimachinery's duration.HumanDuration that kubectl prints. */
class TablesTest {
    @Test
    void agesArePrintedAsKubectlPrintsThem() {
        assertThat(Tables.humanDuration(Duration.ofSeconds(119))).isEqualTo("119s");
        assertThat(Tables.humanDuration(Duration.ofSeconds(150))).isEqualTo("2m30s");
        assertThat(Tables.humanDuration(Duration.ofMinutes(150))).isEqualTo("150m");
        assertThat(Tables.humanDuration(Duration.ofMinutes(5 * 60 + 7))).isEqualTo("5h7m");
        assertThat(Tables.humanDuration(Duration.ofHours(71))).isEqualTo("2d23h");
        assertThat(Tables.humanDuration(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(Tables.humanDuration(Duration.ofDays(800))).isEqualTo("2y70d");
        assertThat(Tables.humanDuration(Duration.ofMillis(-1500))).as("a clock a second behind").isEqualTo("0s");
        assertThat(Tables.humanDuration(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
    }
}
