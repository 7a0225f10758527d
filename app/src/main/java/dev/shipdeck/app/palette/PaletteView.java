package dev.shipdeck.app.palette;

import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.app.common.Theme;
import dev.shipdeck.app.common.Views;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.StageStyle;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The command palette window: a search field over a list; Enter runs the selected entry, Esc closes. */
public final class PaletteView {
    private final PaletteViewModel vm;
    private final Navigation nav;
    private final boolean dark;
    private final Parent root;
    private Stage stage;

    @FXML private TextField queryField;
    @FXML private ListView<PaletteEntry> list;

    public PaletteView(PaletteViewModel vm, Navigation nav, boolean dark) {
        this.vm = vm;
        this.nav = nav;
        this.dark = dark;
        this.root = Views.load(this, "palette.fxml");
    }

    @FXML
    private void initialize() {
        queryField.textProperty().bindBidirectional(vm.queryProperty());
        list.setItems(vm.results());
        list.setCellFactory(l -> new EntryCell());
        vm.results().addListener((javafx.collections.ListChangeListener<PaletteEntry>) c -> list.getSelectionModel().selectFirst());
        list.getSelectionModel().selectFirst();
        queryField.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            switch (e.getCode()) {
                case DOWN -> {
                    list.getSelectionModel().selectNext();
                    list.scrollTo(list.getSelectionModel().getSelectedIndex());
                    e.consume();
                }
                case UP -> {
                    list.getSelectionModel().selectPrevious();
                    list.scrollTo(list.getSelectionModel().getSelectedIndex());
                    e.consume();
                }
                case ENTER -> {
                    runSelected();
                    e.consume();
                }
                default -> { }
            }
        });
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) runSelected();
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) runSelected();
        });
    }

    private static final class EntryCell extends ListCell<PaletteEntry> {
        private final Label title = new Label();
        private final Label detail = new Label();
        private final VBox box = new VBox(1, title, detail);

        EntryCell() {
            title.getStyleClass().add("palette-title");
            detail.getStyleClass().addAll("palette-detail", "muted");
        }

        @Override
        protected void updateItem(PaletteEntry e, boolean empty) {
            super.updateItem(e, empty);
            setText(null);
            if (empty || e == null) {
                setGraphic(null);
                return;
            }
            title.setText(e.title());
            title.setGraphic(new FontIcon(switch (e.kind()) {
                case COMPONENT -> Feather.PACKAGE;
                case ENVIRONMENT -> Feather.SERVER;
                case ACTION -> Feather.ZAP;
            }));
            detail.setText(e.detail());
            setGraphic(box);
        }
    }

    private void runSelected() {
        PaletteEntry e = list.getSelectionModel().getSelectedItem();
        if (e == null) return;
        close();
        // after the key event that chose it is over and the palette is gone
        javafx.application.Platform.runLater(() -> {
            switch (e.kind()) {
                case COMPONENT -> nav.openComponent(e.environment(), e.component());
                case ENVIRONMENT -> nav.openEnvironment(e.environment());
                case ACTION -> nav.runOnComponent(e.environment(), e.component(), e.action());
            }
        });
    }

    public void show(Window owner) {
        stage = new Stage(StageStyle.UNDECORATED);
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle("Command palette");
        Scene scene = new Scene(root, 640, 420);
        Theme.style(scene, dark);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                close();
                e.consume();
            }
        });
        stage.setScene(scene);
        stage.focusedProperty().addListener((o, a, focused) -> {
            if (!focused && stage.isShowing()) close();
        });
        if (owner != null) {
            stage.setX(owner.getX() + (owner.getWidth() - 640) / 2);
            stage.setY(owner.getY() + 90);
        }
        stage.show();
        queryField.requestFocus();
    }

    /**
     * Closes the palette once the current event is over: JavaFX 21's GTK glass crashes the JVM (SIGSEGV in
     * {@code WindowContextBase::process_key}) when a window is closed from inside its own key-press handler.
     */
    public void close() {
        Stage s = stage;
        if (s != null) javafx.application.Platform.runLater(s::close);
    }
}
