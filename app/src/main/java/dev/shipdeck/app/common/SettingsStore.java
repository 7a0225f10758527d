package dev.shipdeck.app.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shipdeck.core.Environments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes {@code desktop.json} in Shipdeck's config directory ({@code $SHIPDECK_CONFIG_DIR}, else
 * {@code $XDG_CONFIG_HOME/shipdeck}, else {@code ~/.config/shipdeck}). Blocking: call it through {@link Tasks}.
 */
public final class SettingsStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public SettingsStore(Path file) {
        this.file = file;
    }

    /** The file next to core's {@code environments.yaml}, found from this process's environment variables. */
    public static SettingsStore inDefaultDirectory() {
        return inDefaultDirectory(System.getenv());
    }

    /** The file next to core's {@code environments.yaml} for these environment variables ({@code HOME} as kubectl reads it). */
    public static SettingsStore inDefaultDirectory(java.util.Map<String, String> env) {
        return new SettingsStore(Environments.defaultFile(env).resolveSibling("desktop.json"));
    }

    public Path file() { return file; }

    /** The saved settings, or the defaults when there are none or the file is unreadable. */
    public DesktopSettings load() {
        if (!Files.isRegularFile(file)) return DesktopSettings.DEFAULTS;
        try {
            DesktopSettings s = JSON.readValue(file.toFile(), DesktopSettings.class);
            return s == null ? DesktopSettings.DEFAULTS : s;
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(SettingsStore.class).warn("ignoring unreadable {}: {}", file, e.getMessage());
            return DesktopSettings.DEFAULTS;
        }
    }

    /**
     * Saves in the background, newest last: requests that pile up while a save runs collapse into one.
     */
    public void saveLater(DesktopSettings s, Tasks tasks) {
        if (pending.getAndSet(s) == null) {
            tasks.fire(() -> {
                DesktopSettings next;
                while ((next = pending.getAndSet(null)) != null) save(next);
            });
        }
    }

    private final java.util.concurrent.atomic.AtomicReference<DesktopSettings> pending = new java.util.concurrent.atomic.AtomicReference<>();

    /** Writes atomically (a temp file, then a move). */
    public synchronized void save(DesktopSettings s) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), s);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file + ": " + e.getMessage(), e);
        }
    }
}
