package dev.shipdeck.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code shipdeck agent run}: the in-cluster daemon. */
@Command(name = "agent",
        header = "Run the Shipdeck agent, which records every release in the cluster.",
        subcommands = {AgentRunCommand.class})
final class AgentGroupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
