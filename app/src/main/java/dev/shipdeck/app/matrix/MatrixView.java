package dev.shipdeck.app.matrix;

import dev.shipdeck.app.commands.ActionButtons;
import dev.shipdeck.app.commands.CommandProposal;
import dev.shipdeck.app.commands.DialogService;
import dev.shipdeck.app.common.Badges;
import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.app.common.StatusBadge;
import dev.shipdeck.app.common.Tables;
import dev.shipdeck.app.common.Views;
import dev.shipdeck.core.commands.Availability;
import dev.shipdeck.core.matrix.Matrix;
import dev.shipdeck.core.model.WorkloadKind;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.util.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The Matrix tab: a virtualized table, one row per component and one column per environment in promotion order
 * (rebuilt when the environments change); a cell shows the version, the status badge and ready/desired, and is
 * highlighted when it is behind or ahead of the environment before it in its lane, drifts from it, is missing or is
 * rolling out. Enter or a double-click opens the component there; the context menu ships along the lane through the
 * confirmation dialog.
 */
public final class MatrixView {
    /** The style class of each highlight on a cell: {@code matrix-behind}, ... */
    public static String style(Matrix.Highlight h) {
        return "matrix-" + h.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static final List<String> STYLES = java.util.Arrays.stream(Matrix.Highlight.values()).map(MatrixView::style).toList();

    private final MatrixViewModel vm;
    private final Badges badges;
    private final Navigation nav;
    private final Supplier<DialogService> dialogs;
    private final Parent root;
    private final TableColumn<Matrix.Row, String> componentColumn = new TableColumn<>("Component");
    private List<String> columnNames = List.of();
    private ContextMenu menu;
    /** The focused cell across live updates: its component and environment. */
    private String focusedComponent;
    private String focusedEnvironment;

    @FXML private HBox legend;
    @FXML private Label summaryLabel;
    @FXML private HBox progressBox;
    @FXML private TableView<Matrix.Row> table;

    public MatrixView(MatrixViewModel vm, Badges badges, Navigation nav, Supplier<DialogService> dialogs) {
        this.vm = vm;
        this.badges = badges;
        this.nav = nav;
        this.dialogs = dialogs;
        this.root = Views.load(this, "matrix.fxml");
    }

    @FXML
    private void initialize() {
        SortedList<Matrix.Row> sorted = new SortedList<>(vm.rows());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.getSelectionModel().setCellSelectionEnabled(true);
        Tables.placeholder(table, vm.emptyTextProperty());
        summaryLabel.textProperty().bind(vm.summaryProperty());
        for (Matrix.Highlight h : new Matrix.Highlight[] {Matrix.Highlight.BEHIND, Matrix.Highlight.AHEAD, Matrix.Highlight.DRIFT,
                Matrix.Highlight.MISSING, Matrix.Highlight.IN_PROGRESS}) {
            Label l = new Label(h.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            l.getStyleClass().addAll("matrix-legend-item", style(h));
            l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            legend.getChildren().add(l);
        }
        progressBox.getChildren().add(ActionButtons.progressLabel(vm.progressProperty()));

        componentColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().component()));
        componentColumn.setPrefWidth(180);
        componentColumn.setId("matrix-component");
        // a double-click on the name opens the component where it runs first in the lanes
        componentColumn.setCellFactory(c -> new TableCell<>() {
            {
                setOnMouseClicked(e -> {
                    Matrix.Row row = isEmpty() || getTableRow() == null ? null : getTableRow().getItem();
                    String env = row == null ? null : firstPresent(row);
                    if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && env != null) open(row, env);
                });
            }

            @Override
            protected void updateItem(String name, boolean empty) {
                super.updateItem(name, empty);
                setText(empty ? null : name);
            }
        });
        vm.columns().addListener((ListChangeListener<Matrix.Column>) c -> drawColumns());
        drawColumns();

        // the focused cell follows its component and environment across live updates (rows are replaced)
        table.getFocusModel().focusedCellProperty().addListener((o, a, p) -> {
            if (p == null || p.getRow() < 0 || p.getRow() >= table.getItems().size()) return;
            focusedComponent = table.getItems().get(p.getRow()).component();
            focusedEnvironment = environment(p.getTableColumn());
        });
        sorted.addListener((ListChangeListener<Matrix.Row>) c -> refocus());

        table.setOnKeyPressed(e -> {
            if (e.getCode() != KeyCode.ENTER) return;
            Target t = focused();
            if (t != null) {
                open(t.row(), t.environment());
                e.consume();
            }
        });
        // the context-menu key or Shift+F10 on the table: the focused cell's menu
        table.setOnContextMenuRequested(e -> {
            if (!e.isKeyboardTrigger()) return;
            Target t = focused();
            if (t == null) return;
            javafx.geometry.Bounds b = table.localToScreen(table.getBoundsInLocal());
            showMenu(table, t.row(), t.environment(), b.getMinX() + 40, b.getMinY() + 60);
            e.consume();
        });
    }

    private record Target(Matrix.Row row, String environment) {}

    private Target focused() {
        TablePosition<Matrix.Row, ?> p = table.getFocusModel().getFocusedCell();
        if (p == null || p.getRow() < 0 || p.getRow() >= table.getItems().size()) return null;
        Matrix.Row row = table.getItems().get(p.getRow());
        String env = environment(p.getTableColumn());
        if (env == null) env = firstPresent(row);
        return env == null ? null : new Target(row, env);
    }

    private void refocus() {
        if (focusedComponent == null) return;
        for (int i = 0; i < table.getItems().size(); i++) {
            if (!table.getItems().get(i).component().equals(focusedComponent)) continue;
            TableColumn<Matrix.Row, ?> col = column(focusedEnvironment);
            TablePosition<Matrix.Row, ?> now = table.getFocusModel().getFocusedCell();
            if (now != null && now.getRow() == i && now.getTableColumn() == col) return;
            String comp = focusedComponent;
            String env = focusedEnvironment;
            table.getSelectionModel().clearAndSelect(i, col);
            table.getFocusModel().focus(i, col);
            focusedComponent = comp;
            focusedEnvironment = env;
            return;
        }
    }

    private TableColumn<Matrix.Row, ?> column(String environment) {
        for (TableColumn<Matrix.Row, ?> c : table.getColumns()) {
            if (environment != null && environment.equals(c.getUserData())) return c;
        }
        return componentColumn;
    }

    private static String environment(TableColumn<?, ?> c) {
        return c == null || !(c.getUserData() instanceof String s) ? null : s;
    }

    private static String firstPresent(Matrix.Row row) {
        return row.cells().stream().filter(Matrix.Cell::present).map(Matrix.Cell::environment).findFirst().orElse(null);
    }

    /** One column per environment shown, in promotion order; rebuilt only when the environments change. */
    private void drawColumns() {
        List<String> names = vm.columns().stream().map(Matrix.Column::environment).toList();
        if (names.equals(columnNames) && !table.getColumns().isEmpty()) {
            drawHeaders();
            return;
        }
        columnNames = names;
        List<TableColumn<Matrix.Row, ?>> cols = new ArrayList<>();
        cols.add(componentColumn);
        for (String env : names) {
            TableColumn<Matrix.Row, Matrix.Cell> col = new TableColumn<>();
            col.setUserData(env);
            col.setId("matrix-column-" + env);
            col.setPrefWidth(370);
            col.setSortable(false);
            col.setReorderable(false);
            col.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().cell(env)));
            col.setCellFactory(c -> new MatrixCell());
            cols.add(col);
        }
        table.getColumns().setAll(cols);
        drawHeaders();
    }

    /** The header of each environment: its name, and where it sits in its lane. */
    private void drawHeaders() {
        for (Matrix.Column c : vm.columns()) {
            TableColumn<Matrix.Row, ?> col = column(c.environment());
            if (col == componentColumn) continue;
            Label l = new Label(c.environment() + (c.production() ? "  · production" : ""));
            l.getStyleClass().add("matrix-header");
            String where = c.previous() == null ? "first in its lane" : "after " + c.previous() + " in its lane";
            Tooltip t = new Tooltip(c.environment() + ": " + where + (c.production() ? "; production: a ship into it asks for the typed word" : ""));
            t.setShowDelay(Duration.millis(250));
            l.setTooltip(t);
            col.setText(null);
            col.setGraphic(l);
        }
    }

    private void open(Matrix.Row row, String environment) {
        Matrix.Cell c = row.cell(environment);
        if (c != null && c.present()) nav.openComponent(environment, row.component());
    }

    // ------------------------------------------------------------------ ship

    private void showMenu(javafx.scene.Node anchor, Matrix.Row row, String environment, double x, double y) {
        if (menu != null) menu.hide();
        menu = new ContextMenu();
        menu.setId("matrix-menu");
        Matrix.Cell cell = row.cell(environment);
        MenuItem open = new MenuItem("Open " + row.component() + " in " + environment);
        open.setId("matrix-open");
        open.setDisable(cell == null || !cell.present());
        open.setOnAction(e -> open(row, environment));
        menu.getItems().addAll(open, new SeparatorMenuItem());
        List<ShipChoice> choices = vm.shipChoices(row.component(), environment);
        if (choices.isEmpty()) {
            MenuItem none = new MenuItem(cell == null || !cell.present() ? row.component() + " does not run in " + environment + ": nothing to ship"
                    : "Nothing to ship: the environments next to " + environment + " in its lane run the same");
            none.setDisable(true);
            none.getStyleClass().add("menu-reason");
            menu.getItems().add(none);
        }
        List<MenuItem[]> items = new ArrayList<>();
        for (ShipChoice choice : choices) {
            MenuItem ship = new MenuItem(choice.text(), new org.kordamp.ikonli.javafx.FontIcon(ActionButtons.icon(dev.shipdeck.core.model.Action.SHIP)));
            ship.setId(choice.id());
            ship.setDisable(true);
            ship.setOnAction(e -> ship(choice));
            MenuItem why = new MenuItem("checking permissions…");
            why.setId(choice.id() + "-reason");
            why.setDisable(true);
            why.getStyleClass().add("menu-reason");
            menu.getItems().addAll(ship, why);
            items.add(new MenuItem[] {ship, why});
        }
        ContextMenu shown = menu;
        vm.checkShips(choices, answers -> {
            if (shown != menu) return;
            for (int i = 0; i < choices.size(); i++) {
                Availability av = answers.getOrDefault(choices.get(i), Availability.no("cannot check"));
                items.get(i)[0].setDisable(!av.allowed());
                items.get(i)[1].setText(av.allowed() ? "" : av.reason());
                items.get(i)[1].setVisible(!av.allowed());
            }
        });
        menu.show(anchor, x, y);
    }

    private void ship(ShipChoice choice) {
        CommandProposal p = vm.proposal(choice);
        DialogService d = dialogs.get();
        if (p == null || d == null) return;
        d.confirm(p, request -> vm.ship(p, request));
    }

    /** One environment's cell of a row: version, status badge, ready/desired and the highlight's words. */
    private final class MatrixCell extends TableCell<Matrix.Row, Matrix.Cell> {
        private final Label version = new Label();
        private final StatusBadge status = new StatusBadge(badges);
        private final Label ready = new Label();
        private final Label marker = new Label();
        private final HBox box = Tables.box();

        MatrixCell() {
            getStyleClass().add("matrix-cell");
            version.getStyleClass().add("matrix-version");
            version.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            ready.getStyleClass().add("matrix-ready");
            ready.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            marker.getStyleClass().add("matrix-marker");
            marker.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            box.getChildren().addAll(version, status, ready, marker);
            setOnMouseClicked(e -> {
                if (isEmpty() || getTableRow() == null || getTableRow().getItem() == null || getItem() == null) return;
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                    open(getTableRow().getItem(), getItem().environment());
                } else if (e.getButton() == MouseButton.SECONDARY && (menu == null || !menu.isShowing())) {
                    // where the platform sends no context-menu event for the right button (Monocle), the click opens it
                    menuHere(e.getScreenX(), e.getScreenY());
                }
            });
            setOnContextMenuRequested(e -> {
                if (isEmpty() || getItem() == null || getTableRow() == null || getTableRow().getItem() == null) return;
                menuHere(e.getScreenX(), e.getScreenY());
                e.consume();
            });
        }

        private void menuHere(double x, double y) {
            table.getSelectionModel().clearAndSelect(getIndex(), getTableColumn());
            table.getFocusModel().focus(getIndex(), getTableColumn());
            showMenu(this, getTableRow().getItem(), getItem().environment(), x, y);
        }

        @Override
        protected void updateItem(Matrix.Cell c, boolean empty) {
            super.updateItem(c, empty);
            getStyleClass().removeAll(STYLES);
            setText(null);
            if (empty || c == null) {
                status.show(null, false, null);
                setGraphic(null);
                setTooltip(null);
                setAccessibleText(null);
                return;
            }
            for (Matrix.Highlight h : c.highlights()) getStyleClass().add(style(h));
            if (c.present()) {
                version.setText(c.version());
                status.show(c.status(), c.kind() == WorkloadKind.ROLLOUT, null);
                status.setVisible(true);
                status.setManaged(true);
                ready.setText(c.ready() + "/" + c.desired());
            } else {
                version.setText("—");
                status.show(null, false, null);
                status.setVisible(false);
                status.setManaged(false);
                ready.setText("");
            }
            String words = words(c);
            marker.setText(words);
            marker.setVisible(!words.isEmpty());
            marker.setManaged(!words.isEmpty());
            String tip = tooltip(c);
            setTooltip(tip.isEmpty() ? null : new Tooltip(tip));
            setAccessibleText(c.environment() + ": " + (c.present() ? c.version() + " " + c.status() : "not running") + (words.isEmpty() ? "" : ", " + words));
            setGraphic(box);
        }
    }

    /** The highlight in words beside the badge: {@code 2 behind}, {@code ahead}, {@code drift}, {@code missing}. */
    public static String words(Matrix.Cell c) {
        List<String> out = new ArrayList<>();
        String apart = c.releasesApart() > 0 ? c.releasesApart() + " " : "";
        if (c.has(Matrix.Highlight.BEHIND)) out.add(apart + "behind");
        if (c.has(Matrix.Highlight.AHEAD)) out.add(apart + "ahead");
        if (c.has(Matrix.Highlight.DRIFT)) out.add("drift");
        if (c.has(Matrix.Highlight.MISSING)) out.add("missing");
        return String.join(" · ", out);
    }

    private static String tooltip(Matrix.Cell c) {
        List<String> lines = new ArrayList<>();
        String why = c.explanation();
        if (!why.isEmpty()) lines.add(why.substring(0, 1).toUpperCase(Locale.ROOT) + why.substring(1));
        if (c.present() && c.phase() != null && !c.phase().isEmpty()) lines.add(c.phase());
        if (!c.images().isEmpty()) lines.add(String.join("\n", c.images()));
        return String.join("\n", lines);
    }

    public Parent root() { return root; }

    public TableView<Matrix.Row> table() { return table; }

    /** The context menu shown last, or null. */
    public ContextMenu menu() { return menu; }
}
