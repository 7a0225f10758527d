package dev.shipdeck.cli;

import dev.shipdeck.core.model.Environment;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The base of a command that reads or writes clusters and sits below a group ({@code release plan},
 * {@code agent run}): the shared options and a {@link Session} built from the root {@code shipdeck} command.
 */
abstract class NestedClusterCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        cluster.refuseCsv(); // markers and the agent print one result, not rows
        try (Session session = Session.open(cluster, root())) {
            return run(session);
        }
    }

    abstract int run(Session session);

    Shipdeck root() {
        return (Shipdeck) spec.root().userObject();
    }

    /** The environment named, or the only one when the kubeconfig has one context. */
    static Environment environment(Session session, String name, String flag) {
        if (name != null) return session.select(List.of(name)).get(0);
        List<Environment> all = session.environments();
        if (all.size() == 1) return all.get(0);
        throw new CliException(ExitCodes.USAGE, "the kubeconfig has " + all.size() + " contexts: say which environment with " + flag,
                "known environments: " + String.join(", ", all.stream().map(Environment::name).toList()));
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
