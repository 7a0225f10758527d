package dev.shipdeck.app.main;

import dev.shipdeck.app.common.DesktopSettings;
import dev.shipdeck.app.common.Errors;
import dev.shipdeck.app.common.Rows;
import dev.shipdeck.app.common.Filters;
import dev.shipdeck.app.common.SettingsStore;
import dev.shipdeck.app.common.SnapshotFeed;
import dev.shipdeck.app.common.Tasks;
import dev.shipdeck.app.components.ComponentsViewModel;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.environments.EnvironmentsViewModel;
import dev.shipdeck.app.matrix.MatrixViewModel;
import dev.shipdeck.app.insights.InsightsViewModel;
import dev.shipdeck.app.timeline.TimelineViewModel;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.labels.LabelFilter;
import dev.shipdeck.core.matrix.PromotionOrder;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.ReadGap;
import dev.shipdeck.core.model.Label;
import dev.shipdeck.core.model.Snapshot;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The window's state: which session is open (or why none is), the header's filter (environments, label chips,
 * search), the theme, the status bar, and the three tabs' view models. Talks to core only through {@link Tasks}.
 */
public final class MainViewModel {
    public enum Phase { LOADING, WELCOME, READY }

    /**
     * One context's connection, as the status bar and the environment selector show it; {@code gaps}: the kinds that
     * could not be read while the environment answered (its snapshot is partial).
     */
    public record Connection(String environment, ConnectionState state, List<ReadGap> gaps, java.time.Instant lastSeen) {
        public Connection {
            gaps = List.copyOf(gaps);
        }

        /** A connection whose rows are live. */
        public Connection(String environment, ConnectionState state, List<ReadGap> gaps) {
            this(environment, state, gaps, null);
        }

        public boolean partial() {
            return state.connected() && !gaps.isEmpty();
        }

        /** Whether the rows shown are a previous run's last known state, not live. */
        public boolean offline() { return lastSeen != null; }

        /**
         * As the status bar shows it: {@code prod-eu connected}, {@code prod-eu partial: Rollouts 503},
         * {@code prod-eu last seen 10:42, connecting…}, {@code prod-eu unreachable (connection refused), last seen 10:42}.
         */
        public String text() {
            if (offline()) {
                String when = "last seen " + dev.shipdeck.app.common.Times.clock(lastSeen, java.time.Instant.now());
                return environment + " " + (state.phase() == ConnectionState.Phase.CONNECTING ? when + ", connecting…" : state.describe() + ", " + when);
            }
            return environment + " " + (partial() ? "partial: " + String.join(", ", gaps.stream().map(ReadGap::brief).toList()) : state.describe());
        }

        /** The tooltip: the state, and for each missing kind why and what is missing. */
        public String details() {
            StringBuilder b = new StringBuilder(environment + ": " + state.describe());
            if (offline()) {
                b.append("\nNot live: showing what Shipdeck last saw of ").append(environment).append(" (")
                        .append(dev.shipdeck.app.common.Times.absolute(lastSeen)).append("); commands wait for a live connection.");
            }
            if (partial()) {
                for (ReadGap g : gaps) b.append("\n").append(g.kind()).append(" could not be read (").append(g.status()).append("): ")
                        .append(g.impact()).append("; ").append(g.advice());
            }
            return b.toString();
        }
    }

    private final Tasks tasks;
    private final SessionLoader loader;
    private final SettingsStore store;
    private final SnapshotFeed feed;
    private final Filters filters = new Filters();
    private final ReadOnlyObjectWrapper<Phase> phase = new ReadOnlyObjectWrapper<>(this, "phase", Phase.LOADING);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "Starting…");
    private final ReadOnlyObjectWrapper<Session> session = new ReadOnlyObjectWrapper<>(this, "session");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Shipdeck");
    private final Rows<String> environmentNames = new Rows<>();
    private final Rows<Connection> connections = new Rows<>();
    private final Rows<String> chips = new Rows<>();
    private final Rows<String> knownLabels = new Rows<>();
    private final ReadOnlyStringWrapper chipError = new ReadOnlyStringWrapper(this, "chipError", "");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final ReadOnlyStringWrapper activity = new ReadOnlyStringWrapper(this, "activity", "");
    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark");
    private final TimelineViewModel timeline;
    private final ComponentsViewModel components;
    private final EnvironmentsViewModel environments;
    private final MatrixViewModel matrix;
    private final ReadOnlyObjectWrapper<PromotionOrder> promotion = new ReadOnlyObjectWrapper<>(this, "promotion");
    private final InsightsViewModel insights;
    private DesktopSettings settings;
    private volatile Session current;
    private AutoCloseable subscription;
    private final dev.shipdeck.app.common.Latest opening;

    public MainViewModel(Tasks tasks, SessionLoader loader, SettingsStore store, DesktopSettings initial, Clock clock) {
        this(tasks, loader, store, initial, clock, Desktop.NONE);
    }

    /** With the window's {@code desktop}, which raises the notifications of a command run from a tab (the Matrix's ship). */
    public MainViewModel(Tasks tasks, SessionLoader loader, SettingsStore store, DesktopSettings initial, Clock clock, Desktop desktop) {
        this.tasks = tasks;
        this.opening = new dev.shipdeck.app.common.Latest(tasks);
        this.loader = loader;
        this.store = store;
        this.settings = initial;
        this.feed = new SnapshotFeed(tasks, clock);
        this.timeline = new TimelineViewModel(feed.snapshotProperty(), filters.specProperty());
        this.components = new ComponentsViewModel(feed.snapshotProperty(), filters.specProperty());
        this.environments = new EnvironmentsViewModel(feed.snapshotProperty(), filters.specProperty());
        this.matrix = new MatrixViewModel(feed.snapshotProperty(), filters.specProperty(), promotion.getReadOnlyProperty(), tasks,
                () -> current == null ? null : current.commands(), desktop);
        this.insights = new InsightsViewModel(feed.snapshotProperty(), filters.specProperty(), clock, java.time.ZoneId.systemDefault());
        dark.set(initial.dark());
        try {
            filters.setLabels(LabelFilter.parse(initial.labelFilter()));
        } catch (ShipdeckException e) {
            org.slf4j.LoggerFactory.getLogger(MainViewModel.class).warn("ignoring saved label filter: {}", e.oneLine());
        }
        chips.setAll(filters.spec().labels().asStrings());
        dark.addListener((o, a, b) -> save(settings.withTheme(b ? "dark" : "light")));
        feed.snapshotProperty().addListener((o, a, s) -> onSnapshot(s));
        feed.changesPerSecondProperty().addListener((o, a, r) -> activity.set(activityText(r.doubleValue())));
    }

    // ------------------------------------------------------------------ sessions

    /** Opens a session in the background; the window shows a loading state meanwhile. */
    public void open(SessionSource source) {
        open(source, () -> loader.open(source));
    }

    /** Opens a session whose loading may have started already (at launch, before the window was built). */
    public void open(SessionSource source, java.util.function.Supplier<Session> loading) {
        phase.set(Phase.LOADING);
        message.set(switch (source.kind()) {
            case DEMO -> "Starting the demo cluster…";
            case BENCHMARK -> "Generating " + source.components() + " components…";
            case KUBECONFIG -> source.kubeconfig() == null ? "Reading your kubeconfig…" : "Reading " + source.kubeconfig() + "…";
        });
        opening.run(loading, this::attach, e -> {
            phase.set(Phase.WELCOME);
            message.set(e instanceof Kubeconfig.NoKubeconfigException
                    ? "No kubeconfig found (" + e.getMessage() + "). Open the demo cluster to look around, or choose a kubeconfig file."
                    : "Could not open " + describe(source) + ": " + Errors.oneLine(e));
        }, () -> { }, s -> tasks.fire(s::close)); // a newer open() superseded this one while it loaded: the newest wins
    }

    private static String describe(SessionSource s) {
        return switch (s.kind()) {
            case DEMO -> "the demo cluster";
            case BENCHMARK -> "the benchmark cluster";
            case KUBECONFIG -> s.kubeconfig() == null ? "your kubeconfig" : s.kubeconfig();
        };
    }

    private void attach(Session s) {
        detach();
        current = s;
        session.set(s);
        promotion.set(s.promotion());
        title.set("Shipdeck — " + s.description());
        List<String> names = s.environments().stream().map(Environment::name).toList();
        environmentNames.setAll(names);
        filters.setEnvironments(restoredSelection(names, settings.environments()));
        LastSeen lastSeen = s.lastSeen();
        if (lastSeen != null) {
            Snapshot first = lastSeen.initial(); // the rows a previous run last saw, until each environment answers
            if (first != null) feed.accept(first);
            notice.set(String.join("; ", lastSeen.notices()));
        } else {
            notice.set("");
        }
        subscription = s.live().subscribe(snap -> {
            if (current != s) return;
            if (lastSeen == null) {
                feed.accept(snap);
            } else {
                lastSeen.remember(snap);
                feed.accept(lastSeen.merge(snap));
            }
        });
        phase.set(Phase.READY);
        message.set("");
        // connecting (building clients, running exec plugins, listing) happens off this thread, context by context
        tasks.fire(s.live()::start);
    }

    static Set<String> restoredSelection(List<String> names, List<String> saved) {
        if (saved == null) return null;
        Set<String> keep = new LinkedHashSet<>(saved);
        keep.retainAll(names);
        return keep.isEmpty() ? null : keep;
    }

    private void detach() {
        Session old = current;
        current = null;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // unsubscribing cannot fail in a way that matters
            }
            subscription = null;
        }
        if (old != null) tasks.fire(old::close);
    }

    /** Closes the session (on exit) on a background thread: the window never waits on the network. */
    public void shutdown() {
        Session old = current;
        current = null;
        if (old != null) {
            Thread t = new Thread(old::close, "shipdeck-session-close");
            t.setDaemon(true);
            t.start();
        }
    }

    private void onSnapshot(Snapshot s) {
        List<Connection> cs = new ArrayList<>();
        Set<String> labels = new TreeSet<>();
        for (EnvironmentSnapshot e : s.environments()) {
            cs.add(new Connection(e.environment().name(), e.connection(), e.gaps(), s.lastSeen(e.environment().name())));
            e.components().forEach(c -> labels.addAll(c.labels().asStrings()));
            labels.addAll(e.environment().labels().asStrings());
        }
        if (!cs.equals(connections)) connections.setAll(cs);
        if (!knownLabels.equals(new ArrayList<>(labels))) knownLabels.setAll(labels);
    }

    // ------------------------------------------------------------------ filters

    /** Adds a label chip; false (and {@link #chipErrorProperty()} says why) when the text is not {@code key:value}. */
    public boolean addChip(String text) {
        try {
            Label l = Label.parse(text);
            filters.addLabel(l);
            chipError.set("");
            chipsChanged();
            return true;
        } catch (ShipdeckException e) {
            chipError.set(e.oneLine());
            return false;
        }
    }

    public void removeChip(String chip) {
        filters.removeLabel(Label.parse(chip));
        chipsChanged();
    }

    public void clearChipError() { chipError.set(""); }

    private void chipsChanged() {
        chips.setAll(filters.spec().labels().asStrings());
        save(settings.withLabelFilter(chips.view()));
    }

    /** The environments ticked in the selector; all of them (or none) select every environment. */
    public void selectEnvironments(List<String> names) {
        Set<String> sel = names.size() == environmentNames.view().size() || names.isEmpty() ? null : new LinkedHashSet<>(names);
        filters.setEnvironments(sel);
        save(settings.withEnvironments(sel == null ? null : List.copyOf(sel)));
    }

    /** The environments to show ticked. */
    public List<String> selectedEnvironments() {
        Set<String> sel = filters.spec().environments();
        return sel == null ? List.copyOf(environmentNames.view()) : environmentNames.view().stream().filter(sel::contains).toList();
    }

    public void search(String text) { filters.setSearch(text); }

    public void windowResized(double w, double h) {
        if (Math.abs(w - settings.width()) > 1 || Math.abs(h - settings.height()) > 1) save(settings.withSize(w, h));
    }

    private void save(DesktopSettings s) {
        settings = s;
        store.saveLater(s, tasks);
    }

    /** Called about once a second by the view: lets the activity rate decay when nothing happens. */
    public void tick() { feed.tick(); }

    static String activityText(double perSecond) {
        if (perSecond <= 0) return "idle";
        return (perSecond < 10 ? String.format(java.util.Locale.ROOT, "%.1f", perSecond) : Long.toString(Math.round(perSecond))) + " changes/s";
    }

    // ------------------------------------------------------------------ properties

    public ReadOnlyObjectProperty<Phase> phaseProperty() { return phase.getReadOnlyProperty(); }

    public ReadOnlyStringProperty messageProperty() { return message.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<Session> sessionProperty() { return session.getReadOnlyProperty(); }

    public ReadOnlyStringProperty titleProperty() { return title.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<Snapshot> snapshotProperty() { return feed.snapshotProperty(); }

    public ReadOnlyObjectProperty<dev.shipdeck.app.common.FilterSpec> filterProperty() { return filters.specProperty(); }

    public ObservableList<String> environmentNames() { return environmentNames.view(); }

    public ObservableList<Connection> connections() { return connections.view(); }

    public ObservableList<String> chips() { return chips.view(); }

    public ObservableList<String> knownLabels() { return knownLabels.view(); }

    public ReadOnlyStringProperty chipErrorProperty() { return chipError.getReadOnlyProperty(); }

    /** Something the person should know that is not an error, e.g. that a cached state could not be read and was ignored. */
    public ReadOnlyStringProperty noticeProperty() { return notice.getReadOnlyProperty(); }

    public ReadOnlyStringProperty activityProperty() { return activity.getReadOnlyProperty(); }

    public BooleanProperty darkProperty() { return dark; }

    public TimelineViewModel timeline() { return timeline; }

    public ComponentsViewModel components() { return components; }

    public EnvironmentsViewModel environments() { return environments; }

    public MatrixViewModel matrix() { return matrix; }

    /** The open session's promotion order as the environment page changes it (written to its environments file). */
    public dev.shipdeck.app.environments.PromotionEditor promotionEditor() {
        return new dev.shipdeck.app.environments.PromotionEditor() {
            @Override
            public ReadOnlyObjectProperty<PromotionOrder> orderProperty() { return promotion.getReadOnlyProperty(); }

            @Override
            public String savedWhere() {
                Session s = current;
                if (s == null) return "";
                return s.environmentsFile() == null ? "the demo keeps this order until it closes" : "saved in " + s.environmentsFile();
            }

            @Override
            public void move(String environment, int delta, java.util.function.Consumer<String> onError) {
                Session s = current;
                PromotionOrder now = promotion.get();
                if (s == null || now == null) return;
                List<List<String>> lanes = now.moved(environment, delta);
                if (lanes.equals(now.laneLists())) return;
                java.nio.file.Path file = s.environmentsFile();
                tasks.run(() -> {
                    if (file != null) dev.shipdeck.core.Environments.writePromotion(file, lanes);
                    return PromotionOrder.of(s.environments(), lanes);
                }, order -> {
                    if (current == s) promotion.set(order);
                }, e -> onError.accept(Errors.oneLine(e)));
            }
        };
    }

    /** The open session's promotion order (null before one is open). */
    public ReadOnlyObjectProperty<PromotionOrder> promotionProperty() { return promotion.getReadOnlyProperty(); }
    public InsightsViewModel insights() { return insights; }

    public DesktopSettings settings() { return settings; }
}
