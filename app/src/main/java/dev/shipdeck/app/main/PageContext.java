package dev.shipdeck.app.main;

import dev.shipdeck.app.commands.DialogService;
import dev.shipdeck.app.common.Badges;
import dev.shipdeck.app.common.Desktop;
import dev.shipdeck.app.common.Navigation;

/** What every page view gets from the window and the session besides its view model. */
public record PageContext(Badges badges, Navigation nav, Desktop desktop, DialogService dialogs) {}
