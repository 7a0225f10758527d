package dev.shipdeck.app.main;

import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.core.model.Action;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.Node;
import javafx.scene.layout.StackPane;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/** The page stack over the tabs: open pushes, Esc/back pops, a new session clears it. */
public final class Navigator implements Navigation {
    private final StackPane host;
    private final Node home;
    private final Supplier<Session> session;
    private final PageFactory factory;
    private final Deque<Page> stack = new ArrayDeque<>();
    private final ReadOnlyObjectWrapper<Page> current = new ReadOnlyObjectWrapper<>(this, "current");

    public Navigator(StackPane host, Node home, Supplier<Session> session, PageFactory factory) {
        this.host = host;
        this.home = home;
        this.session = session;
        this.factory = factory;
    }

    @Override
    public void openComponent(String environment, String component) {
        Session s = session.get();
        if (s != null) push(factory.component(s, environment, component));
    }

    @Override
    public void runOnComponent(String environment, String component, Action action) {
        Session s = session.get();
        if (s == null) return;
        Page p = factory.component(s, environment, component);
        push(p);
        p.runAction(action);
    }

    @Override
    public void openRelease(String releaseId) {
        Session s = session.get();
        if (s != null) push(factory.release(s, releaseId));
    }

    @Override
    public void openEnvironment(String environment) {
        Session s = session.get();
        if (s != null) push(factory.environment(s, environment));
    }

    private void push(Page p) {
        stack.push(p);
        show(p);
    }

    @Override
    public boolean back() {
        Page top = stack.poll();
        if (top == null) return false;
        Page next = stack.peek();
        if (next == null) {
            host.getChildren().setAll(home);
            current.set(null);
        } else {
            show(next);
        }
        return true;
    }

    /** Back to the tabs. */
    public void home() {
        while (!stack.isEmpty()) back();
    }

    private void show(Page p) {
        host.getChildren().setAll(p.root()); // in the scene: the page activates; the one it covers leaves it and stops
        current.set(p);
    }

    /** The page on top, or null on the tabs. */
    public ReadOnlyObjectProperty<Page> currentProperty() { return current.getReadOnlyProperty(); }

    public String breadcrumbs() {
        StringBuilder sb = new StringBuilder();
        java.util.Iterator<Page> it = stack.descendingIterator();
        while (it.hasNext()) {
            if (sb.length() > 0) sb.append("  ›  ");
            sb.append(it.next().title());
        }
        return sb.toString();
    }
}
