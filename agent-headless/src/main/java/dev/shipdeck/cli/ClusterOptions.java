package dev.shipdeck.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The options every command that reads clusters shares, as kubectl spells them. */
public final class ClusterOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Path to the kubeconfig file to use (default: every file of KUBECONFIG, else ~/.kube/config).")
    String kubeconfig;

    @Option(names = "--context", paramLabel = "NAME",
            description = "Only the environment of this kubeconfig context.")
    String context;

    @Option(names = "--environments-file", paramLabel = "FILE",
            description = "Environment names, namespaces, labels and order (default: $SHIPDECK_CONFIG_DIR/environments.yaml, "
                    + "else ~/.config/shipdeck/environments.yaml; used when it exists).")
    Path environmentsFile;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            converter = OutputFormat.Converter.class, completionCandidates = OutputFormat.Candidates.class,
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "The longest one server request may take, as kubectl's: connecting, TLS, waiting for the answer and "
                    + "reading it, e.g. 1s, 10s or 1m; 0 waits forever (default: ${DEFAULT-VALUE}). Reads that time out exit 5.")
    Duration requestTimeout;

    /** For a command that prints one result rather than rows: {@code -o csv} is a usage error, said before anything runs. */
    void refuseCsv() {
        if (output == OutputFormat.CSV) {
            throw new CliException(ExitCodes.USAGE, "-o csv is for the commands that list rows (environments, components, timeline, "
                    + "commands, insights)", "use -o table, json or yaml here");
        }
    }
}
