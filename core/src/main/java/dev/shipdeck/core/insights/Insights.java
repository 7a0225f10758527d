package dev.shipdeck.core.insights;

import dev.shipdeck.core.model.ReleaseStatus;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The delivery measures of a period, the same for the period before it (the trend), the releases per day by status,
 * the lead times' distribution and the measures per group (team, environment or component).
 */
public record Insights(Period period, Measures current, Measures previous, List<Day> days, List<Bucket> leadTimes,
                       String groupedBy, List<Group> groups) {

    /**
     * One day of the period (in the zone the insights were computed for).
     *
     * @param releases how many releases started that day, by status (every status that occurred)
     * @param measures the four measures of that day alone (the tiles' sparklines)
     */
    public record Day(LocalDate date, Map<ReleaseStatus, Integer> releases, Measures measures) {
        public int total() {
            return releases.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** The lead times of at most {@code upTo} (and more than the previous bucket's); {@code upTo} null: the rest. */
    public record Bucket(String label, Duration upTo, int count) {}

    /** The measures of the releases of one team, environment or component. */
    public record Group(String name, Measures measures) {}
}
