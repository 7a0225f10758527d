package dev.shipdeck.cli;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.model.ReleaseStatus;

import java.util.List;

/** Parses what a person typed as a filter; a bad value ends the command with {@link ExitCodes#USAGE}. */
final class Filters {
    private Filters() {}

    static LabelFilter labels(List<String> texts) {
        try {
            return LabelFilter.parse(texts);
        } catch (ShipdeckException e) {
            throw CliException.of(ExitCodes.USAGE, e);
        }
    }

    static ReleaseStatus status(String text) {
        try {
            return ReleaseStatus.parse(text);
        } catch (ShipdeckException e) {
            throw CliException.of(ExitCodes.USAGE, e);
        }
    }
}
