package dev.shipdeck.cli;

import dev.shipdeck.core.Home;
import dev.shipdeck.core.Logging;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION_HEADING;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER_HEADING;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST_HEADING;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS;
import static picocli.CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING;

/**
 * {@code shipdeck}: what the Shipdeck console shows, read from the clusters through the kubeconfig kubectl uses.
 * Build the command line with {@link #commandLine(Shipdeck)} so every failure ends as one {@code error:} line.
 */
@Command(name = "shipdeck",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        header = "shipdeck shows what is deployed where, straight from your Kubernetes clusters, and acts on it.",
        description = {
            "Every kubeconfig context is an environment (refine them in the environments file). A component is the set "
                + "of Deployments and Argo Rollouts sharing the label shipdeck.dev/component-name; its releases are "
                + "derived from their ReplicaSets, or read from the Release records the Shipdeck agent keeps in the cluster. "
                + "restore, scale, restart, promote, retry and cancel send exactly what kubectl and the Argo Rollouts plugin send, "
                + "and label patches a component's labels, each after a permission check; everything else only reads, except "
                + "'release', 'install --apply' and 'agent run'."},
        subcommands = {EnvironmentsCommand.class, ComponentsCommand.class, TimelineCommand.class, InsightsCommand.class, CommandsCommand.class,
            RestoreCommand.class, ScaleCommand.class, RestartCommand.class, PromoteCommand.class, RetryCommand.class,
            CancelCommand.class, LabelCommand.class, MatrixCommand.class, ShipCommand.class, ReleaseGroupCommand.class, AgentGroupCommand.class, InstallCommand.class},
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (warning: lines say what could not be read)",
            "1:a cluster or its API failed",
            "2:bad flag, argument, label or configuration file (kubeconfig included)",
            "3:unknown environment, component or context",
            "4:refused by a guard or a permission",
            "5:no requested environment could be reached (refused, timed out)",
            "6:someone else changed the workload meanwhile; nothing was applied",
            "7:what was asked for could not be read (e.g. --kind rollout while listing Rollouts failed)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  # Every environment of the kubeconfig and whether it can be reached",
            "  shipdeck environments",
            "",
            "  # The payments team's components in production, as JSON",
            "  shipdeck components --environment prod-eu --label team:payments -o json",
            "",
            "  # The ten newest releases that failed",
            "  shipdeck timeline --status failed --limit 10"})
public final class Shipdeck implements Callable<Integer> {
    /** kubectl's layout: what it does, examples, options, then the synopsis. */
    private static final List<String> SECTIONS = List.of(SECTION_KEY_HEADER_HEADING, SECTION_KEY_HEADER,
            SECTION_KEY_DESCRIPTION_HEADING, SECTION_KEY_DESCRIPTION, SECTION_KEY_FOOTER_HEADING, SECTION_KEY_FOOTER,
            SECTION_KEY_COMMAND_LIST_HEADING, SECTION_KEY_COMMAND_LIST, SECTION_KEY_PARAMETER_LIST_HEADING,
            SECTION_KEY_PARAMETER_LIST, SECTION_KEY_OPTION_LIST_HEADING, SECTION_KEY_OPTION_LIST,
            SECTION_KEY_EXIT_CODE_LIST_HEADING, SECTION_KEY_EXIT_CODE_LIST, SECTION_KEY_SYNOPSIS_HEADING, SECTION_KEY_SYNOPSIS);

    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Also show what the libraries log (fabric8, okhttp) on stderr; -vv for debug detail. "
                    + "Without it stderr has only shipdeck's own error: and warning: lines.")
    boolean[] verbose = new boolean[0];

    /** Reads KUBECONFIG and HOME from the process environment. */
    public Shipdeck() {
        this(System.getenv());
    }

    /** Reads KUBECONFIG and HOME from {@code environment} (tests pass their own). */
    public Shipdeck(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The value of an environment variable, or null. */
    String env(String name) {
        return environment.get(name);
    }

    /** The environment variables this run reads. */
    Map<String, String> environment() {
        return environment;
    }

    /** The home folder as kubectl finds it ({@code HOME}; on Windows also USERPROFILE, HOMEDRIVE+HOMEPATH). */
    String home() {
        return Home.of(environment).toString();
    }

    /** Without a command: the help, as kubectl prints it. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    /** The command line with its error handling and help layout; {@code execute(args)} returns an {@link ExitCodes} value. */
    public static CommandLine commandLine(Shipdeck app) {
        Diagnostics diagnostics = new Diagnostics();
        CommandLine cmd = new CommandLine(app)
                .setExecutionExceptionHandler(diagnostics)
                .setParameterExceptionHandler(diagnostics)
                .setExecutionStrategy(Shipdeck::execute);
        layout(cmd);
        return cmd;
    }

    /** Sets up logging for what was asked ({@code -v}, {@code agent run}) before any library is loaded, then runs it. */
    private static int execute(ParseResult parsed) {
        Logging.configure(loggingMode(parsed), verbosity(parsed));
        return new CommandLine.RunLast().execute(parsed);
    }

    /** How often {@code -v} was given, on the root and its subcommands ({@code -vv} counts twice). */
    static int verbosity(ParseResult parsed) {
        int n = 0;
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            OptionSpec o = p.matchedOption("--verbose");
            if (o != null && o.getValue() instanceof boolean[] b) n += b.length;
        }
        return n;
    }

    private static Logging.Mode loggingMode(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.commandSpec().userObject() instanceof AgentRunCommand) return Logging.Mode.AGENT;
        }
        return Logging.Mode.CLI;
    }

    private static void layout(CommandLine cmd) {
        cmd.setHelpSectionKeys(SECTIONS);
        cmd.getCommandSpec().usageMessage().descriptionHeading("%n").optionListHeading("%nOptions:%n").synopsisHeading("%nUsage:%n  ");
        cmd.getSubcommands().values().forEach(Shipdeck::layout);
    }

    public static void main(String[] args) {
        System.exit(commandLine(new Shipdeck()).execute(args));
    }
}
