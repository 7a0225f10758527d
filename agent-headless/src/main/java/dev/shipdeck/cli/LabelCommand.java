package dev.shipdeck.cli;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.Action;
import dev.shipdeck.core.model.Label;
import dev.shipdeck.core.model.Labels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code shipdeck label}: Add, remove or set the labels of a component, as the console's label editor does. */
@Command(name = "label",
        header = "Add, remove or set the labels of a component (its shipdeck.dev/labels annotation).",
        description = {"Labels are key:value pairs (at most 20) that the console and 'shipdeck components --label' filter by. "
            + "Like kubectl label: KEY:VALUE adds a label, KEY:VALUE- removes it, KEY- removes every label with that key; "
            + "with --replace the labels given are the whole new set (none: remove them all). Sends one JSON merge patch "
            + "of the annotation to the Deployment or Rollout, computed from the labels it has now, after a permission "
            + "check (patch on the workload), and records it as a ReleaseCommand like every other command. The "
            + "annotation shipdeck.dev/edit-labels-enabled: \"false\" turns it off for a component."},
        footerHeading = "%nExamples:%n",
        footer = {"  # checkout belongs to the payments team and serves web traffic",
            "  shipdeck label checkout --environment prod-eu team:payments role:web",
            "",
            "  # No longer a web component; show the patch only",
            "  shipdeck label checkout -e prod-eu role- --dry-run",
            "",
            "  # Exactly these labels, without being asked (CI)",
            "  shipdeck label checkout -e prod-eu --replace team:payments tier:prod --yes"})
final class LabelCommand extends EnvironmentActionCommand {
    @Parameters(index = "1..*", arity = "0..*", paramLabel = "KEY:VALUE[-]|KEY-",
            description = "A label to add (team:payments), to remove (team:payments-), or a key whose labels to remove (team-).")
    List<String> changes = new ArrayList<>();

    @Option(names = "--replace", description = "The labels given are the whole new set; without any, every label is removed.")
    boolean replace;

    @Override
    Action action() { return Action.EDIT_LABELS; }

    @Override
    Map<String, String> args() {
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        try {
            for (String c : changes) {
                String t = c.trim();
                if (t.endsWith("-")) {
                    String what = t.substring(0, t.length() - 1);
                    remove.add(what.contains(":") ? Label.parse(what).toString() : Label.checkKey(what));
                } else {
                    add.add(Label.parse(t).toString());
                }
            }
            if (replace) {
                if (!remove.isEmpty()) {
                    throw new CliException(ExitCodes.USAGE, "--replace sets the whole set of labels: " + String.join(", ", remove)
                            + " cannot be removed from it", "list only the labels to keep");
                }
                return Map.of("labels", new Labels(add.stream().map(Label::parse).toList()).toAnnotation());
            }
        } catch (CliException e) {
            throw e;
        } catch (ShipdeckException e) {
            throw CliException.of(ExitCodes.USAGE, e);
        }
        if (add.isEmpty() && remove.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "say which labels to add or remove",
                    "e.g. shipdeck label " + component + " -e " + environment + " team:payments, or role- to remove; --replace for the whole set");
        }
        Map<String, String> args = new java.util.LinkedHashMap<>();
        if (!add.isEmpty()) args.put("add", String.join(", ", add));
        if (!remove.isEmpty()) args.put("remove", String.join(", ", remove));
        return args;
    }
}
