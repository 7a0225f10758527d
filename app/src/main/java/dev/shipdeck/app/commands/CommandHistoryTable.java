package dev.shipdeck.app.commands;

import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.common.Times;
import dev.shipdeck.core.commands.CommandRecord;
import dev.shipdeck.core.commands.Outcome;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;

import java.time.Instant;
import java.util.Locale;
import java.util.stream.Collectors;

/** The Commands tab's table: who ran what, when, with which result. */
public final class CommandHistoryTable {
    private CommandHistoryTable() {}

    public static TableView<CommandRecord> create(ObservableList<CommandRecord> rows, ReadOnlyStringProperty empty, boolean showComponent) {
        TableView<CommandRecord> t = new TableView<>();
        t.setId("commands-table");
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<CommandRecord, Instant> when = new TableColumn<>("When");
        Tables.text(when, CommandRecord::at, at -> Times.ago(at, Instant.now()) + "  (" + Times.absolute(at) + ")");
        when.setPrefWidth(230);
        TableColumn<CommandRecord, String> action = new TableColumn<>("Action");
        Tables.text(action, r -> CommandProposal.verbNoun(r.action()), s -> s);
        action.setPrefWidth(110);
        TableColumn<CommandRecord, String> component = new TableColumn<>("Component");
        Tables.text(component, r -> r.component() + " · " + r.environment(), s -> s);
        component.setPrefWidth(170);
        TableColumn<CommandRecord, String> args = new TableColumn<>("Arguments");
        Tables.text(args, r -> r.args().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")), s -> s.isEmpty() ? "—" : s);
        args.setPrefWidth(150);
        TableColumn<CommandRecord, String> who = new TableColumn<>("Who");
        Tables.text(who, CommandRecord::who, s -> s);
        who.setPrefWidth(140);
        TableColumn<CommandRecord, Outcome> outcome = new TableColumn<>("Outcome");
        Tables.graphic(outcome, CommandRecord::outcome, () -> {
            Label l = new Label();
            l.getStyleClass().add("outcome");
            return l;
        }, (l, r) -> {
            l.getStyleClass().removeIf(c -> c.startsWith("outcome-"));
            if (r == null) {
                l.setText(null);
                return;
            }
            l.setText(r.outcome().name());
            l.getStyleClass().add("outcome-" + r.outcome().name().toLowerCase(Locale.ROOT));
        });
        outcome.setPrefWidth(110);
        TableColumn<CommandRecord, String> message = new TableColumn<>("Message");
        message.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyStringWrapper(c.getValue().message()));
        message.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                setTooltip(empty || s == null ? null : new Tooltip(s));
            }
        });
        message.setPrefWidth(360);
        t.getColumns().add(when);
        t.getColumns().add(action);
        if (showComponent) t.getColumns().add(component);
        t.getColumns().add(args);
        t.getColumns().add(who);
        t.getColumns().add(outcome);
        t.getColumns().add(message);
        Tables.bind(t, rows, CommandRecord::id);
        Tables.placeholder(t, empty);
        return t;
    }
}
