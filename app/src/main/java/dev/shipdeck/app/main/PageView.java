package dev.shipdeck.app.main;

import dev.shipdeck.app.common.Activation;
import dev.shipdeck.app.common.Badges;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.app.common.PageViewModel;
import dev.shipdeck.app.common.Views;
import javafx.scene.Parent;

/**
 * The base of a page's view: its view model is active exactly while the page is in the scene (the navigator puts
 * the page there when it is opened or come back to, and takes it away when another page covers it or it is closed).
 * Each activation draws the page once from the view model's current state.
 *
 * @param <VM> the page's view model
 */
public abstract class PageView<VM extends PageViewModel> implements Page {
    protected final VM vm;
    protected final PageContext ctx;
    protected final Badges badges;
    protected final Navigation nav;
    protected final Desktop desktop;
    private Parent root;

    protected PageView(VM vm, PageContext ctx) {
        this.vm = vm;
        this.ctx = ctx;
        this.badges = ctx.badges();
        this.nav = ctx.nav();
        this.desktop = ctx.desktop();
    }

    /**
     * Loads the page's FXML (its {@code initialize} runs now) and ties activation to the scene; called at the end of
     * the subclass constructor, once its own fields are set.
     */
    protected final void load(String fxml) {
        root = Views.load(this, fxml);
        Activation.whileInScene(root, () -> {
            vm.activate();
            draw();
        }, vm::deactivate);
    }

    /** Draws the page from the view model (after each activation, and on the view model's changes). */
    protected abstract void draw();

    @Override
    public final Parent root() { return root; }

    public final VM viewModel() { return vm; }
}
