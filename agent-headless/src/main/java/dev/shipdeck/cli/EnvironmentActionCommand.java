package dev.shipdeck.cli;

import picocli.CommandLine.Option;

/** The commands that change a component in the one environment {@code --environment} names. */
abstract class EnvironmentActionCommand extends ActionCommand {
    @Option(names = {"-e", "--environment"}, required = true, paramLabel = "ENV", description = "The environment of the component.")
    String environment;

    @Override
    final String targetEnvironment() {
        return environment;
    }
}
