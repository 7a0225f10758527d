package dev.shipdeck.app.main;

import dev.shipdeck.app.commands.DialogService;
import dev.shipdeck.app.common.Badges;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Navigation;
import dev.shipdeck.app.common.Tasks;
import dev.shipdeck.app.components.ComponentPageView;
import dev.shipdeck.app.components.ComponentPageViewModel;
import dev.shipdeck.app.environments.EnvironmentPageView;
import dev.shipdeck.app.environments.EnvironmentPageViewModel;
import dev.shipdeck.app.release.ReleasePageView;
import dev.shipdeck.app.release.ReleasePageViewModel;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Snapshot;
import javafx.beans.property.ReadOnlyObjectProperty;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javafx.stage.Window;

/** Builds the pages with what they need from the window and the session. */
public final class Pages implements PageFactory {
    private final ReadOnlyObjectProperty<Snapshot> snapshot;
    private final Tasks tasks;
    private final Badges badges;
    private final Desktop desktop;
    private final Navigation nav;
    private final BooleanSupplier dark;
    private final Supplier<Window> owner;
    private final dev.shipdeck.app.environments.PromotionEditor promotion;
    private Session dialogsFor;
    private PageContext context;

    public Pages(ReadOnlyObjectProperty<Snapshot> snapshot, Tasks tasks, Badges badges, Desktop desktop, Navigation nav, BooleanSupplier dark,
                 Supplier<Window> owner) {
        this(snapshot, tasks, badges, desktop, nav, dark, owner, dev.shipdeck.app.environments.PromotionEditor.NONE);
    }

    /** @param promotion the window's promotion order, which the environment page changes */
    public Pages(ReadOnlyObjectProperty<Snapshot> snapshot, Tasks tasks, Badges badges, Desktop desktop, Navigation nav, BooleanSupplier dark,
                 Supplier<Window> owner, dev.shipdeck.app.environments.PromotionEditor promotion) {
        this.promotion = promotion;
        this.snapshot = snapshot;
        this.tasks = tasks;
        this.badges = badges;
        this.desktop = desktop;
        this.nav = nav;
        this.dark = dark;
        this.owner = owner;
    }

    /** One context, and so one dialog service, per session: its command service goes to that session's clusters. */
    private PageContext context(Session s) {
        if (dialogsFor != s) {
            dialogsFor = s;
            context = new PageContext(badges, nav, desktop, new DialogService(owner, dark, tasks, s.commands()));
        }
        return context;
    }

    @Override
    public Page component(Session s, String environment, String component) {
        ComponentPageViewModel vm = new ComponentPageViewModel(environment, component, snapshot, tasks, s.commands(), desktop, s.promotion());
        return new ComponentPageView(vm, context(s));
    }

    @Override
    public Page release(Session s, String releaseId) {
        ReleasePageViewModel vm = new ReleasePageViewModel(releaseId, snapshot, tasks, s.commands(), s.cluster(), desktop);
        return new ReleasePageView(vm, context(s));
    }

    @Override
    public Page environment(Session s, String environment) {
        return new EnvironmentPageView(new EnvironmentPageViewModel(environment, snapshot, tasks, s.commands(), details(s, environment),
                promotion), context(s));
    }

    @Override
    public DialogService dialogs(Session s) {
        return context(s).dialogs();
    }

    /** Context, server, user and namespaces from the (already loaded) kubeconfig; nothing secret. */
    static EnvironmentPageViewModel.Details details(Session s, String environment) {
        Environment env = s.environments().stream().filter(e -> e.name().equals(environment)).findFirst().orElse(null);
        if (env == null) return new EnvironmentPageViewModel.Details("—", "—", "—", "—");
        String server = "—";
        String user = "—";
        try {
            Kubeconfig kc = s.clients().kubeconfig();
            Kubeconfig.Context ctx = kc.context(env.context());
            server = kc.cluster(ctx).body().path("server").asText("—");
            user = ctx.user();
        } catch (RuntimeException ignored) {
            // a context without a cluster or user entry: the connection state already says what is wrong
        }
        return new EnvironmentPageViewModel.Details(env.context(), server, user, env.allNamespaces() ? "all" : String.join(", ", env.namespaces()));
    }
}
