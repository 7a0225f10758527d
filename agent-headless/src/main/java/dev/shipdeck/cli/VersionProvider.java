package dev.shipdeck.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code shipdeck --version}: the Implementation-Version of the jar, or "dev" when run from classes. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Shipdeck.class.getPackage().getImplementationVersion();
        return new String[] {"shipdeck " + (v == null || v.isBlank() ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
}
