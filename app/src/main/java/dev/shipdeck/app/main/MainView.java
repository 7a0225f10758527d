package dev.shipdeck.app.main;

import dev.shipdeck.app.common.AppIcons;
import dev.shipdeck.app.common.Activation;
import dev.shipdeck.app.common.Badges;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.app.common.Tasks;
import dev.shipdeck.app.common.Theme;
import dev.shipdeck.app.common.Views;
import dev.shipdeck.app.components.ComponentsView;
import dev.shipdeck.app.environments.EnvironmentsView;
import dev.shipdeck.app.matrix.MatrixView;
import dev.shipdeck.app.insights.InsightsView;
import dev.shipdeck.app.palette.PaletteView;
import dev.shipdeck.app.palette.PaletteViewModel;
import dev.shipdeck.app.timeline.TimelineView;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.CheckComboBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.File;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The main window: header (environments, label chips, search, palette, theme, menu), the Timeline / Components /
 * Environments / Matrix tabs with pages opened over them, loading and welcome states, and the status bar.
 */
public final class MainView {
    private final MainViewModel vm;
    private final Tasks tasks;
    private final Badges badges;
    private final Desktop desktop;
    private final BorderPane rootNode;
    private final Navigator navigator;
    private final TimelineView timelineView;
    private final ComponentsView componentsView;
    private final EnvironmentsView environmentsView;
    private final MatrixView matrixView;
    private final InsightsView insightsView;
    private final Timeline ticker;
    private Scene scene;
    private boolean syncingSelector;
    private int ticks;

    @FXML private BorderPane root;
    @FXML private ImageView logo;
    @FXML private ImageView welcomeLogo;
    @FXML private HBox header;
    @FXML private Label appTitle;
    @FXML private Label environmentsLabel;
    @FXML private Label labelsLabel;
    @FXML private CheckComboBox<String> environmentSelector;
    @FXML private HBox environmentPills;
    @FXML private HBox chipBox;
    @FXML private Button addChipButton;
    @FXML private ComboBox<String> chipField;
    @FXML private Label chipError;
    @FXML private TextField searchField;
    @FXML private Button paletteButton;
    @FXML private Button themeButton;
    @FXML private MenuButton menuButton;
    @FXML private CheckMenuItem darkItem;
    @FXML private javafx.scene.control.MenuItem demoItem;
    @FXML private javafx.scene.control.MenuItem demoViewerItem;
    @FXML private javafx.scene.control.MenuItem chooseItem;
    @FXML private javafx.scene.control.MenuItem reopenItem;
    @FXML private HBox pageBar;
    @FXML private Label breadcrumbs;
    @FXML private StackPane pageHost;
    @FXML private TabPane tabs;
    @FXML private Tab timelineTab;
    @FXML private Tab componentsTab;
    @FXML private Tab environmentsTab;
    @FXML private Tab matrixTab;
    @FXML private Tab insightsTab;
    @FXML private VBox loadingPane;
    @FXML private Label loadingMessage;
    @FXML private VBox welcomePane;
    @FXML private Label welcomeMessage;
    @FXML private Button welcomeDemo;
    @FXML private HBox connectionsBox;
    @FXML private Label sessionLabel;
    @FXML private Label noticeLabel;
    @FXML private Label activityLabel;

    public MainView(MainViewModel vm, Tasks tasks, Badges badges, Desktop desktop, Function<Navigation, PageFactory> pages) {
        this.vm = vm;
        this.tasks = tasks;
        this.badges = badges;
        this.desktop = desktop;
        this.rootNode = Views.load(this, "main.fxml");
        PageFactory factory = pages.apply(new LazyNavigation());
        this.navigator = new Navigator(pageHost, tabs, vm.sessionProperty()::get, factory);
        this.timelineView = new TimelineView(vm.timeline(), badges, navigator, desktop, Instant::now);
        this.componentsView = new ComponentsView(vm.components(), badges, navigator, Instant::now);
        this.environmentsView = new EnvironmentsView(vm.environments(), navigator);
        this.matrixView = new MatrixView(vm.matrix(), badges, navigator,
                () -> vm.sessionProperty().get() == null ? null : factory.dialogs(vm.sessionProperty().get()));
        timelineTab.setContent(timelineView.root());
        componentsTab.setContent(componentsView.root());
        environmentsTab.setContent(environmentsView.root());
        matrixTab.setContent(matrixView.root());
        // a day's bar on the Insights tab lists that day's releases (of that status) in the timeline
        this.insightsView = new InsightsView(vm.insights(), (day, status) -> {
            vm.timeline().dayProperty().set(day);
            vm.timeline().statusProperty().set(status);
            showTab(tabs.getTabs().indexOf(timelineTab));
        });
        insightsTab.setContent(insightsView.root());
        // a tab follows the live data while it is selected and not covered by a page
        Activation.whileSelected(timelineTab, tabs, vm.timeline());
        Activation.whileSelected(componentsTab, tabs, vm.components());
        Activation.whileSelected(environmentsTab, tabs, vm.environments());
        Activation.whileSelected(matrixTab, tabs, vm.matrix());
        Activation.whileSelected(insightsTab, tabs, vm.insights());
        navigator.currentProperty().addListener((o, a, p) -> {
            pageBar.setVisible(p != null);
            pageBar.setManaged(p != null);
            breadcrumbs.setText(p == null ? "" : tabs.getSelectionModel().getSelectedItem().getText() + "  ›  " + navigator.breadcrumbs());
        });
        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick()));
        ticker.setCycleCount(Animation.INDEFINITE);
    }

    /** Pages need the navigator, the navigator needs the pages: this hands the pages a late-bound one. */
    private final class LazyNavigation implements Navigation {
        @Override
        public void openComponent(String environment, String component) { navigator.openComponent(environment, component); }

        @Override
        public void runOnComponent(String environment, String component, dev.shipdeck.core.model.Action action) {
            navigator.runOnComponent(environment, component, action);
        }

        @Override
        public void openRelease(String releaseId) { navigator.openRelease(releaseId); }

        @Override
        public void openEnvironment(String environment) { navigator.openEnvironment(environment); }

        @Override
        public boolean back() { return navigator.back(); }
    }

    @FXML
    private void initialize() {
        logo.setImage(AppIcons.load(64));
        welcomeLogo.setImage(AppIcons.load(256));
        themeButton.setTooltip(new Tooltip("Light or dark theme"));
        menuButton.setGraphic(new FontIcon(Feather.MENU));
        paletteButton.setGraphic(new FontIcon(Feather.COMMAND));
        paletteButton.setTooltip(new Tooltip("Command palette: jump to a component or environment, run an action"));
        addChipButton.setTooltip(new Tooltip("Add a label filter (key:value)"));

        // the header never ellipsizes: on a narrow window it drops, in this order, the words "Environments" and
        // "Labels", the palette button's text, the environment pills (the status bar shows the same connections) and
        // the product name beside the logo
        environmentSelector.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        header.widthProperty().addListener((o, a, b) -> fitHeader());
        environmentPills.getChildren().addListener((ListChangeListener<javafx.scene.Node>) c -> fitHeaderLater());
        chipBox.getChildren().addListener((ListChangeListener<javafx.scene.Node>) c -> fitHeaderLater());

        // phases; nothing else can be opened while a session is being opened
        vm.phaseProperty().addListener((o, a, p) -> showPhase(p));
        javafx.beans.binding.BooleanBinding loading = vm.phaseProperty().isEqualTo(MainViewModel.Phase.LOADING);
        for (javafx.scene.control.MenuItem m : List.of(demoItem, demoViewerItem, chooseItem, reopenItem)) m.disableProperty().bind(loading);
        welcomeDemo.defaultButtonProperty().bind(welcomePane.visibleProperty());
        loadingMessage.textProperty().bind(vm.messageProperty());
        welcomeMessage.textProperty().bind(vm.messageProperty());

        // environments
        // the selector shows the ticked environments, "prod-eu, staging, dev"; none ticked means all of them
        environmentSelector.getItems().setAll(vm.environmentNames());
        vm.environmentNames().addListener((ListChangeListener<String>) c -> {
            syncingSelector = true;
            environmentSelector.getCheckModel().clearChecks();
            environmentSelector.getItems().setAll(vm.environmentNames());
            for (String n : vm.selectedEnvironments()) environmentSelector.getCheckModel().check(n);
            syncingSelector = false;
            drawPills();
        });
        environmentSelector.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) c -> {
            if (syncingSelector) return;
            vm.selectEnvironments(new ArrayList<>(environmentSelector.getCheckModel().getCheckedItems()));
            drawPills();
        });
        vm.connections().addListener((ListChangeListener<MainViewModel.Connection>) c -> {
            drawConnections();
            drawPills();
        });

        // label chips
        vm.chips().addListener((ListChangeListener<String>) c -> drawChips());
        drawChips();
        // an editable combo: type key:value and press Enter, or pick one of the labels the clusters use
        chipField.setItems(vm.knownLabels());
        chipField.setOnAction(e -> {
            if (!committing) javafx.application.Platform.runLater(this::commitChip);
        });
        chipField.focusedProperty().addListener((o, was, is) -> {
            if (!is && !chipField.isShowing() && chipField.getEditor().getText().isBlank()) closeChipField();
        });
        chipField.getEditor().textProperty().addListener((o, a, b) -> vm.clearChipError());
        chipField.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && !chipField.isShowing()) {
                closeChipField();
                e.consume();
            }
        });
        chipError.textProperty().bind(vm.chipErrorProperty());
        vm.chipErrorProperty().addListener((o, a, b) -> {
            chipError.setVisible(!b.isEmpty());
            chipError.setManaged(!b.isEmpty());
        });

        // search
        searchField.textProperty().addListener((o, a, b) -> vm.search(b));

        // theme
        darkItem.selectedProperty().bindBidirectional(vm.darkProperty());
        vm.darkProperty().addListener((o, a, b) -> applyTheme());

        // status bar
        noticeLabel.textProperty().bind(vm.noticeProperty());
        noticeLabel.setMaxWidth(420);
        Tooltip noticeTip = new Tooltip();
        noticeTip.textProperty().bind(vm.noticeProperty());
        noticeTip.setWrapText(true);
        noticeTip.setMaxWidth(640);
        noticeLabel.setTooltip(noticeTip);
        show(false, noticeLabel);
        vm.noticeProperty().addListener((o, a, b) -> show(!b.isEmpty(), noticeLabel));
        sessionLabel.textProperty().bind(vm.sessionProperty().map(s -> s == null ? "" : s.description()).orElse(""));
        activityLabel.textProperty().bind(vm.activityProperty());
        activityLabel.setTooltip(new Tooltip("Objects that changed per second in the live snapshots (last 5 s)"));
        vm.sessionProperty().addListener((o, a, s) -> navigator.home());
    }

    /** Builds the scene, installs the keyboard shortcuts and starts the clock. */
    public Scene createScene(double width, double height) {
        scene = new Scene(rootNode, width, height);
        applyTheme();
        installKeys(scene);
        showPhase(vm.phaseProperty().get());
        ticker.play();
        badges.start();
        return scene;
    }

    private void applyTheme() {
        boolean dark = vm.darkProperty().get();
        Theme.apply(dark);
        if (scene != null) Theme.style(scene, dark);
        themeButton.setGraphic(new FontIcon(dark ? Feather.SUN : Feather.MOON));
    }

    private void installKeys(Scene s) {
        s.getAccelerators().put(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN), this::onPalette);
        s.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), this::focusSearch);
        s.getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN), () -> showTab(0));
        s.getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT2, KeyCombination.SHORTCUT_DOWN), () -> showTab(1));
        s.getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT3, KeyCombination.SHORTCUT_DOWN), () -> showTab(2));
        s.getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT4, KeyCombination.SHORTCUT_DOWN),
                () -> showTab(tabs.getTabs().indexOf(matrixTab)));
        s.getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT5, KeyCombination.SHORTCUT_DOWN),
                () -> showTab(tabs.getTabs().indexOf(insightsTab)));
        // Ctrl+L: type a label filter (Alt+Down opens the labels the clusters use)
        s.getAccelerators().put(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN), this::onAddChip);
        s.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() != KeyCode.ESCAPE) return;
            if (e.getTarget() instanceof ComboBoxBase<?> cb && cb.isShowing()) return;
            if (e.getTarget() == searchField && !searchField.getText().isEmpty()) {
                searchField.clear();
                e.consume();
                return;
            }
            if (navigator.back()) e.consume();
        });
    }

    private void showPhase(MainViewModel.Phase p) {
        loadingPane.setVisible(p == MainViewModel.Phase.LOADING);
        welcomePane.setVisible(p == MainViewModel.Phase.WELCOME);
        pageHost.setDisable(p != MainViewModel.Phase.READY);
    }

    private void tick() {
        vm.tick();
        if (++ticks % 15 == 0) {
            timelineView.refreshTimes();
            componentsView.refreshTimes();
        }
    }

    // ------------------------------------------------------------------ header

    private void drawPills() {
        environmentPills.getChildren().clear();
        List<String> selected = vm.selectedEnvironments();
        for (MainViewModel.Connection c : vm.connections()) {
            if (!selected.contains(c.environment())) continue;
            Label pill = new Label(c.environment());
            pill.getStyleClass().add("env-pill");
            pill.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            pill.setGraphic(dot(c));
            pill.setTooltip(new Tooltip(c.details()));
            environmentPills.getChildren().add(pill);
        }
    }

    private boolean fitting;

    private void fitHeaderLater() {
        javafx.application.Platform.runLater(this::fitHeader);
    }

    /** Shows as much of the header as fits its width, dropping whole parts (never "…") when it does not. */
    private void fitHeader() {
        if (fitting || header.getWidth() <= 0) return;
        fitting = true;
        try {
            List<Runnable> steps = List.of(
                    () -> show(false, environmentsLabel, labelsLabel),
                    () -> paletteButton.setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY),
                    () -> show(false, environmentPills),
                    () -> show(false, appTitle));
            show(true, environmentsLabel, labelsLabel, environmentPills, appTitle);
            paletteButton.setContentDisplay(javafx.scene.control.ContentDisplay.LEFT);
            for (Runnable step : steps) {
                if (header.prefWidth(-1) <= header.getWidth()) break;
                step.run();
            }
        } finally {
            fitting = false;
        }
    }

    private static void show(boolean on, javafx.scene.Node... nodes) {
        for (javafx.scene.Node n : nodes) {
            n.setVisible(on);
            n.setManaged(on);
        }
    }

    /** Green connected, amber connecting, retrying or partly read, red otherwise. */
    private static Circle dot(MainViewModel.Connection c) {
        Circle dot = new Circle(4.5);
        dot.getStyleClass().addAll("conn-dot", c.partial() ? "conn-wait" : EnvironmentsView.connectionStyle(c.state()));
        return dot;
    }

    private void drawChips() {
        chipBox.getChildren().removeIf(n -> n.getStyleClass().contains("filter-chip"));
        int i = 0;
        for (String chip : vm.chips()) {
            Button remove = new Button();
            remove.setGraphic(new FontIcon(Feather.X));
            remove.getStyleClass().add("chip-remove");
            remove.setId("remove-chip-" + chip.replace(':', '-'));
            remove.setTooltip(new Tooltip("Remove the filter " + chip));
            remove.setOnAction(e -> vm.removeChip(chip));
            Label l = new Label(chip, remove);
            l.setContentDisplay(javafx.scene.control.ContentDisplay.RIGHT);
            l.getStyleClass().add("filter-chip");
            l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            l.setId("chip-" + chip.replace(':', '-'));
            chipBox.getChildren().add(i++, l);
        }
    }

    @FXML
    private void onAddChip() {
        chipField.setVisible(true);
        chipField.setManaged(true);
        addChipButton.setVisible(false);
        addChipButton.setManaged(false);
        chipField.requestFocus();
    }

    private boolean committing;

    private void commitChip() {
        String text = chipField.getEditor().getText();
        if (text == null || text.isBlank()) return;
        if (vm.addChip(text)) closeChipField();
    }

    private void closeChipField() {
        committing = true;
        chipField.getEditor().clear();
        chipField.setValue(null);
        committing = false;
        vm.clearChipError();
        chipField.setVisible(false);
        chipField.setManaged(false);
        addChipButton.setVisible(true);
        addChipButton.setManaged(true);
    }

    private void drawConnections() {
        connectionsBox.getChildren().clear();
        for (MainViewModel.Connection c : vm.connections()) {
            Label l = new Label(c.text());
            l.setGraphic(dot(c));
            l.getStyleClass().add("connection");
            l.setId("connection-" + c.environment());
            l.setTooltip(new Tooltip(c.details()));
            connectionsBox.getChildren().add(l);
        }
    }

    private void focusSearch() {
        navigator.home();
        searchField.requestFocus();
        searchField.selectAll();
    }

    /** Shows tab {@code i} (0 Timeline, 1 Components, 2 Environments, then Matrix), closing pages. */
    public void showTab(int i) {
        navigator.home();
        tabs.getSelectionModel().select(i);
        TabPane t = tabs;
        javafx.application.Platform.runLater(() -> {
            javafx.scene.Node content = t.getTabs().get(i).getContent();
            javafx.scene.Node table = content == null ? null : content.lookup(".table-view");
            if (table != null) table.requestFocus();
        });
    }

    // ------------------------------------------------------------------ actions

    @FXML
    void onPalette() {
        if (vm.phaseProperty().get() != MainViewModel.Phase.READY) return;
        new PaletteView(new PaletteViewModel(vm.snapshotProperty().get()), navigator, vm.darkProperty().get()).show(window());
    }

    @FXML
    private void onToggleTheme() {
        vm.darkProperty().set(!vm.darkProperty().get());
    }

    @FXML
    private void onOpenDemo() {
        vm.open(SessionSource.demo(null));
    }

    @FXML
    private void onOpenDemoViewer() {
        vm.open(SessionSource.demo(dev.shipdeck.sim.ClusterSim.VIEWER));
    }

    @FXML
    private void onReopenDefault() {
        vm.open(SessionSource.kubeconfig(null));
    }

    @FXML
    private void onChooseKubeconfig() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Choose a kubeconfig");
        File home = dev.shipdeck.core.Home.of(System.getenv()).resolve(".kube").toFile();
        if (home.isDirectory()) fc.setInitialDirectory(home);
        File f = fc.showOpenDialog(window());
        if (f != null) vm.open(SessionSource.kubeconfig(f.getAbsolutePath()));
    }

    @FXML
    private void onBack() {
        navigator.back();
    }

    @FXML
    private void onShortcuts() {
        Alert a = new Alert(Alert.AlertType.INFORMATION, """
                Ctrl+K   command palette: jump to a component or environment, run an action
                Ctrl+F   search (and back to the tabs)
                Ctrl+L   add a label filter (Alt+Down lists the labels in use)
                Ctrl+1 / 2 / 3   Timeline, Components, Environments
                Ctrl+4   Matrix: which version runs where, in promotion order
                Ctrl+5   Insights: deployment frequency, lead time, failure rate, time to restore
                Enter    open the selected row
                Esc      back
                """, ButtonType.OK);
        a.setHeaderText("Keyboard shortcuts");
        a.initOwner(window());
        Theme.style(a.getDialogPane(), vm.darkProperty().get());
        a.show();
    }

    private Window window() {
        return scene == null ? null : scene.getWindow();
    }

    // ------------------------------------------------------------------ for the window, tests and screenshots

    public BorderPane root() { return rootNode; }

    public Navigator navigator() { return navigator; }

    public TimelineView timelineView() { return timelineView; }

    public ComponentsView componentsView() { return componentsView; }

    public EnvironmentsView environmentsView() { return environmentsView; }

    public MatrixView matrixView() { return matrixView; }

    public void stop() {
        ticker.stop();
        badges.stop();
    }
}
