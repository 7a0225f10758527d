package dev.shipdeck.app.common;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Table plumbing shared by every view: sorted items, selection kept across live updates, Enter/double-click to
 * open, placeholders, and cells that draw one row item each and reset themselves in the empty branch.
 */
public final class Tables {
    private Tables() {}

    /** Shows {@code rows} sorted by the table's columns, keeps the selected row (by key) across updates. */
    public static <T> void bind(TableView<T> table, ObservableList<T> rows, Function<T, String> key) {
        SortedList<T> sorted = new SortedList<>(rows);
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        String[] selected = {null};
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) selected[0] = key.apply(b);
        });
        sorted.addListener((ListChangeListener<T>) c -> {
            if (selected[0] == null) return;
            T now = table.getSelectionModel().getSelectedItem();
            if (now != null && key.apply(now).equals(selected[0])) return;
            for (int i = 0; i < sorted.size(); i++) {
                if (key.apply(sorted.get(i)).equals(selected[0])) {
                    table.getSelectionModel().select(i);
                    return;
                }
            }
        });
    }

    /** Enter on the selected row, or a double-click on a row, opens it. */
    public static <T> void onOpen(TableView<T> table, Consumer<T> open) {
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && table.getSelectionModel().getSelectedItem() != null) {
                open.accept(table.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        table.setRowFactory(t -> {
            TableRow<T> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) open.accept(row.getItem());
            });
            return row;
        });
    }

    public static void placeholder(TableView<?> table, ReadOnlyStringProperty text) {
        Label l = new Label();
        l.textProperty().bind(text);
        l.getStyleClass().add("placeholder");
        l.setWrapText(true);
        table.setPlaceholder(l);
    }

    /** A column whose cells show {@code text(value)}; the column sorts by the value. */
    public static <T, V> void text(TableColumn<T, V> col, Function<T, V> value, Function<V, String> text) {
        col.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
        col.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(V v, boolean empty) {
                super.updateItem(v, empty);
                if (empty) {
                    setText(null);
                } else {
                    setText(v == null ? "—" : text.apply(v));
                }
            }
        });
    }

    /** A column drawn by {@code draw} into a reusable graphic; {@code draw} gets null when the cell is empty. */
    public static <T, V, N extends Node> void graphic(TableColumn<T, V> col, Function<T, V> value, java.util.function.Supplier<N> create,
                                                       BiConsumer<N, T> draw) {
        col.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
        col.setCellFactory(c -> new TableCell<>() {
            private N node;

            @Override
            protected void updateItem(V v, boolean empty) {
                super.updateItem(v, empty);
                setText(null);
                T row = empty || getTableRow() == null ? null : getTableRow().getItem();
                if (empty || row == null) {
                    if (node != null) draw.accept(node, null);
                    setGraphic(null);
                    return;
                }
                if (node == null) node = create.get();
                draw.accept(node, row);
                setGraphic(node);
            }
        });
    }

    /** A column of links: the text opens something (a page, a browser). */
    public static <T, V> void link(TableColumn<T, V> col, Function<T, V> value, Function<T, String> text, Consumer<T> open) {
        graphic(col, value, () -> {
            Hyperlink h = new Hyperlink();
            h.getStyleClass().add("cell-link");
            h.setFocusTraversable(false);
            return h;
        }, (h, row) -> {
            if (row == null) {
                h.setText(null);
                h.setOnAction(null);
                return;
            }
            h.setText(text.apply(row));
            h.setOnAction(e -> open.accept(row));
        });
    }

    /** A small horizontal box for cells that hold several nodes. */
    /** A column of relative times ("2 min ago"), against {@code now} when the cell is drawn. */
    public static <T> void ago(TableColumn<T, java.time.Instant> column, Function<T, java.time.Instant> value,
                               java.util.function.Supplier<java.time.Instant> now) {
        text(column, value, t -> Times.ago(t, now.get()));
    }

    public static HBox box() {
        HBox b = new HBox(6);
        b.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return b;
    }
}
