package dev.shipdeck.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The home folder as kubectl finds it (client-go's {@code homedir.HomeDir}), so {@code ~/.kube/config} and
 * {@code ~/.config/shipdeck} are where kubectl would look: {@code $HOME} on Linux and macOS — not the JVM's
 * {@code user.home}, which comes from the password database and ignores a changed {@code HOME}. On Windows the first
 * of {@code %HOME%}, {@code %HOMEDRIVE%%HOMEPATH%}, {@code %USERPROFILE%} that holds a {@code .kube\config}; else
 * the first of {@code %HOME%}, {@code %USERPROFILE%}, {@code %HOMEDRIVE%%HOMEPATH%} that is a writable folder, else
 * the first that exists, else the first that is set. Only when none is set (kubectl would then use the current
 * folder) does Shipdeck fall back to {@code user.home}.
 */
public final class Home {
    private Home() {}

    /** The home folder for this process's environment. */
    public static Path of(Map<String, String> env) {
        return Path.of(resolve(env, windows(), Files::isRegularFile, p -> Files.isDirectory(p) && Files.isWritable(p), Files::exists));
    }

    /**
     * The rule itself, with the file checks passed in (so it can be tested on any OS). {@code hasKubeconfig},
     * {@code writableDir} and {@code exists} are asked about paths built from the variables.
     */
    static String resolve(Map<String, String> env, boolean windows, Predicate<Path> hasKubeconfig, Predicate<Path> writableDir,
                          Predicate<Path> exists) {
        String home = nz(env.get("HOME"));
        if (!windows) return home.isEmpty() ? System.getProperty("user.home") : home;
        String drivePath = nz(env.get("HOMEDRIVE")).isEmpty() || nz(env.get("HOMEPATH")).isEmpty() ? ""
                : env.get("HOMEDRIVE") + env.get("HOMEPATH");
        String profile = nz(env.get("USERPROFILE"));
        for (String p : set(home, drivePath, profile)) {
            if (hasKubeconfig.test(Path.of(p, ".kube", "config"))) return p;
        }
        List<String> preferred = set(home, profile, drivePath);
        for (String p : preferred) {
            if (writableDir.test(Path.of(p))) return p;
        }
        for (String p : preferred) {
            if (exists.test(Path.of(p))) return p;
        }
        return preferred.isEmpty() ? System.getProperty("user.home") : preferred.get(0);
    }

    private static List<String> set(String... candidates) {
        List<String> out = new ArrayList<>();
        for (String c : candidates) {
            if (!c.isEmpty()) out.add(c);
        }
        return out;
    }

    private static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
