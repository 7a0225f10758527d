package dev.shipdeck.app.common;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.shipdeck.core.Home;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.workload.Conventions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The desktop's last known state: per environment, the last snapshot it showed, in one file each under
 * {@code $SHIPDECK_CACHE_DIR}, else {@code $XDG_CACHE_HOME/shipdeck}, else {@code ~/.cache/shipdeck} (on Windows
 * {@code %LOCALAPPDATA%\shipdeck}), folder {@code last-seen}. What is written is what the window showed — components,
 * workloads, versions, releases, connection — trimmed: of the workloads' annotations only Shipdeck's own
 * ({@code shipdeck.dev/}, {@code circleci.com/}) are kept, at most {@value #MAX_VERSIONS} versions per workload and
 * the newest {@value #MAX_RELEASES} releases. No token, key, password or kubeconfig content is ever in it: a file is
 * named after a hash of the environment's key (context, server URL, namespaces), not after the key.
 *
 * <p>A file of another format, or one that does not parse, is ignored and reported as a notice; it is replaced by the
 * next save. At most {@value #MAX_FILES} files are kept (the least recently written go first). Blocking: call it off
 * the UI thread.
 */
public final class LastSeenCache {
    /** The file format; a file with another one is ignored. */
    public static final int FORMAT = 1;
    static final int MAX_VERSIONS = 10;
    static final int MAX_RELEASES = 1_000;
    static final int MAX_FILES = 64;
    static final long MAX_BYTES = 64L * 1024 * 1024;
    /** Set to {@code off} to keep nothing (the test JVMs do, so one test's state never shows in another's window). */
    public static final String DIR_PROPERTY = "shipdeck.lastSeen.dir";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);

    /** What one file holds. */
    record Entry(int format, String key, Instant seenAt, EnvironmentSnapshot snapshot) {}

    /** The same, as written: the snapshot trimmed. */
    record Written(int format, String key, Instant seenAt, ObjectNode snapshot) {}

    /** A state read back: what was shown, and when it was seen. */
    public record Seen(EnvironmentSnapshot snapshot, Instant seenAt) {}

    private final Path dir;

    public LastSeenCache(Path dir) {
        this.dir = dir;
    }

    /** The cache for this process's environment variables, or empty when turned off ({@value #DIR_PROPERTY}{@code =off}). */
    public static Optional<LastSeenCache> inDefaultDirectory(Map<String, String> env) {
        String prop = System.getProperty(DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return prop.equals("off") ? Optional.empty() : Optional.of(new LastSeenCache(Path.of(prop)));
        }
        return Optional.of(new LastSeenCache(defaultDir(env)));
    }

    static Path defaultDir(Map<String, String> env) {
        String own = env.get("SHIPDECK_CACHE_DIR");
        if (own != null && !own.isBlank()) return Path.of(own, "last-seen");
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "shipdeck", "last-seen");
        String local = env.get("LOCALAPPDATA");
        if (local != null && !local.isBlank() && System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
            return Path.of(local, "shipdeck", "last-seen");
        }
        return Home.of(env).resolve(".cache").resolve("shipdeck").resolve("last-seen");
    }

    public Path dir() { return dir; }

    /** The file for an environment's key. */
    public Path file(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(h, 0, 16) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The state last saved for {@code key}: empty when there is none. A file that cannot be used is reported to
     * {@code notices} (one line: which file and why) and otherwise ignored.
     */
    public Optional<Seen> load(String key, List<String> notices) {
        Path f = file(key);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            if (Files.size(f) > MAX_BYTES) {
                notices.add("ignored the last seen state in " + f + ": larger than " + (MAX_BYTES >> 20) + " MB");
                return Optional.empty();
            }
            var tree = JSON.readTree(f.toFile());
            int format = tree == null ? -1 : tree.path("format").asInt(-1);
            if (format != FORMAT) {
                notices.add("ignored the last seen state in " + f + ": format " + format + ", this version reads " + FORMAT);
                return Optional.empty();
            }
            Entry e = JSON.treeToValue(tree, Entry.class);
            if (!key.equals(e.key()) || e.snapshot() == null || e.seenAt() == null) return Optional.empty(); // another key's file (hash clash)
            return Optional.of(new Seen(e.snapshot(), e.seenAt()));
        } catch (IOException | RuntimeException e) {
            notices.add("ignored the last seen state in " + f + ": it cannot be read (" + firstLine(e.getMessage()) + ")");
            return Optional.empty();
        }
    }

    /** Writes {@code snapshot} as seen at {@code seenAt}, atomically (a temp file, then a move); prunes old files. */
    public void save(String key, EnvironmentSnapshot snapshot, Instant seenAt) throws IOException {
        Files.createDirectories(dir);
        byte[] bytes = JSON.writeValueAsBytes(new Written(FORMAT, key, seenAt, trim(snapshot)));
        if (bytes.length > MAX_BYTES) return; // bounded: a state this large is not kept
        Path f = file(key);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        prune();
    }

    private void prune() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(".json")).toList());
        }
        if (files.size() <= MAX_FILES) return;
        files.sort(Comparator.comparing(LastSeenCache::modified));
        for (Path p : files.subList(0, files.size() - MAX_FILES)) Files.deleteIfExists(p);
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /**
     * Only what the views show: Shipdeck's own annotations, the current, active and newest versions, the newest
     * releases. Works on the JSON form, so it keeps up with the model's records without copying them.
     */
    static ObjectNode trim(EnvironmentSnapshot s) {
        ObjectNode tree = JSON.valueToTree(s);
        for (JsonNode c : tree.path("components")) {
            for (JsonNode w : c.path("workloads")) {
                if (w.path("annotations") instanceof ObjectNode a) {
                    List<String> drop = new ArrayList<>();
                    a.fieldNames().forEachRemaining(k -> {
                        if (Arrays.stream(Conventions.PREFIXES).noneMatch(k::startsWith)) drop.add(k);
                    });
                    a.remove(drop);
                }
                if (w.path("versions") instanceof ArrayNode vs && vs.size() > MAX_VERSIONS) {
                    ArrayNode keep = JSON.createArrayNode();
                    for (JsonNode v : vs) {
                        if (v.path("current").asBoolean() || v.path("replicas").asInt() > 0) keep.add(v);
                    }
                    for (JsonNode v : vs) { // newest first: the newest of the others fill up
                        if (keep.size() >= MAX_VERSIONS) break;
                        if (!(v.path("current").asBoolean() || v.path("replicas").asInt() > 0)) keep.add(v);
                    }
                    List<JsonNode> sorted = new ArrayList<>();
                    keep.forEach(sorted::add);
                    sorted.sort(Comparator.comparingLong((JsonNode v) -> v.path("revision").asLong()).reversed());
                    vs.removeAll();
                    vs.addAll(sorted);
                }
            }
        }
        if (s.releases().size() > MAX_RELEASES) {
            List<Release> newest = s.releases().stream()
                    .sorted(Comparator.comparing(Release::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                    .limit(MAX_RELEASES).toList();
            tree.set("releases", JSON.valueToTree(newest));
        }
        return tree;
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
