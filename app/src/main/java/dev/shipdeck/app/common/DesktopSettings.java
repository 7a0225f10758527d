package dev.shipdeck.app.common;

import java.util.List;

/**
 * What the desktop remembers between runs. Nothing secret: no token, no server address, no kubeconfig content.
 *
 * @param environments the selected environments, or null for all of them
 * @param theme {@code light} or {@code dark}
 */
public record DesktopSettings(List<String> labelFilter, List<String> environments, String theme, double width, double height) {
    public static final DesktopSettings DEFAULTS = new DesktopSettings(List.of(), null, "light", 1360, 820);

    public DesktopSettings {
        labelFilter = labelFilter == null ? List.of() : List.copyOf(labelFilter);
        environments = environments == null ? null : List.copyOf(environments);
        theme = "dark".equals(theme) ? "dark" : "light";
        width = width < 640 ? 1360 : width;
        height = height < 400 ? 820 : height;
    }

    public boolean dark() { return theme.equals("dark"); }

    public DesktopSettings withLabelFilter(List<String> l) { return new DesktopSettings(l, environments, theme, width, height); }

    public DesktopSettings withEnvironments(List<String> e) { return new DesktopSettings(labelFilter, e, theme, width, height); }

    public DesktopSettings withTheme(String t) { return new DesktopSettings(labelFilter, environments, t, width, height); }

    public DesktopSettings withSize(double w, double h) { return new DesktopSettings(labelFilter, environments, theme, w, h); }
}
