package dev.shipdeck.app.common;

import dev.shipdeck.core.model.Snapshot;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.property.ReadOnlyObjectProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * The life of a page's or a tab's view model, written once: while active it follows the live snapshot (and any
 * other input the subclass {@link #watch watches}) through {@link #refresh()}; {@link #deactivate()} stops
 * following and cancels every background load of its {@link #slot slots}. The view drives it: a page while it is
 * in the scene, a tab while it is selected (see {@link Activation}).
 */
public abstract class PageViewModel {
    protected final ReadOnlyObjectProperty<Snapshot> snapshot;
    private final InvalidationListener refresh = o -> refresh();
    private final List<Observable> inputs = new ArrayList<>();
    private final List<Latest> slots = new ArrayList<>();
    private boolean active;

    protected PageViewModel(ReadOnlyObjectProperty<Snapshot> snapshot) {
        this.snapshot = snapshot;
        inputs.add(snapshot);
    }

    /** Another input that changes what is shown (call from the subclass constructor). */
    protected final void watch(Observable input) {
        inputs.add(input);
    }

    /** A "latest only" slot for one kind of background load; cancelled on {@link #deactivate()}. */
    protected final Latest slot(Tasks tasks) {
        Latest l = new Latest(tasks);
        slots.add(l);
        return l;
    }

    /** Starts following the inputs and shows the current state; a second call while active does nothing. */
    public final void activate() {
        if (active) return;
        active = true;
        inputs.forEach(i -> i.addListener(refresh));
        refresh();
        onActivate();
    }

    /** Stops following the inputs and drops what is still loading. */
    public final void deactivate() {
        if (!active) return;
        active = false;
        inputs.forEach(i -> i.removeListener(refresh));
        onDeactivate();
        slots.forEach(Latest::cancel);
    }

    public final boolean isActive() { return active; }

    /** Recomputes what is shown from the inputs (on the UI thread). */
    protected abstract void refresh();

    /** After the first refresh of an activation: loads that are not part of the snapshot (the command history). */
    protected void onActivate() { }

    /** Just before the slots are cancelled (a slot's {@link Latest#busy()} still says what will be dropped). */
    protected void onDeactivate() { }
}
