package dev.shipdeck.app.common;

import dev.shipdeck.app.DemoCluster;
import dev.shipdeck.core.model.Component;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Snapshot;
import dev.shipdeck.core.model.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The last known state on disk: what is kept, what is trimmed, what is ignored and said so. */
class LastSeenCacheTest {
    static DemoCluster demo;
    static Snapshot snapshot;

    @TempDir
    Path dir;

    @BeforeAll
    static void read() {
        demo = DemoCluster.start();
        snapshot = demo.read();
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    @Test
    void aSavedEnvironmentReadsBackAsItWasShownWithOnlyShipdecksAnnotations() throws IOException {
        LastSeenCache cache = new LastSeenCache(dir);
        EnvironmentSnapshot prod = snapshot.environment("prod-eu");
        Instant seen = Instant.parse("2026-11-30T10:42:00Z");
        cache.save("k1", prod, seen);
        List<String> notices = new ArrayList<>();
        LastSeenCache.Seen back = cache.load("k1", notices).orElseThrow(() -> new AssertionError("not read back: " + notices));
        assertThat(notices).isEmpty();
        assertThat(back.seenAt()).isEqualTo(seen);
        assertThat(back.snapshot().releases()).isEqualTo(prod.releases());
        assertThat(back.snapshot().environment()).isEqualTo(prod.environment());
        assertThat(back.snapshot().components()).hasSameSizeAs(prod.components());
        for (int i = 0; i < prod.components().size(); i++) {
            Component was = prod.components().get(i);
            Component is = back.snapshot().components().get(i);
            assertThat(is.name()).isEqualTo(was.name());
            assertThat(is.labels()).isEqualTo(was.labels());
            assertThat(is.status()).isEqualTo(was.status());
            assertThat(is.version()).isEqualTo(was.version());
            for (int j = 0; j < was.workloads().size(); j++) {
                Workload a = was.workloads().get(j);
                Workload b = is.workloads().get(j);
                assertThat(b.verdict()).isEqualTo(a.verdict());
                assertThat(b.versions()).isEqualTo(a.versions().size() <= LastSeenCache.MAX_VERSIONS ? a.versions() : b.versions());
                assertThat(b.rollout()).isEqualTo(a.rollout());
                assertThat(b.disabledActions()).isEqualTo(a.disabledActions());
                assertThat(b.annotations().keySet()).allMatch(k -> k.startsWith("shipdeck.dev/") || k.startsWith("circleci.com/"));
                Map<String, String> own = new java.util.HashMap<>(a.annotations());
                own.keySet().removeIf(k -> !(k.startsWith("shipdeck.dev/") || k.startsWith("circleci.com/")));
                assertThat(b.annotations()).isEqualTo(own);
            }
        }
        assertThat(Files.readString(cache.file("k1"))).doesNotContain("last-applied-configuration").doesNotContain("k1-secret");
    }

    @Test
    void aDamagedFileOrAnotherFormatIsIgnoredWithANotice() throws IOException {
        LastSeenCache cache = new LastSeenCache(dir);
        cache.save("good", snapshot.environment("dev"), Instant.now());
        Files.writeString(cache.file("broken"), "{\"format\": 1, \"snapshot\": {\"components\": [tru");
        Files.writeString(cache.file("old"), "{\"format\": 0, \"key\": \"old\"}");
        List<String> notices = new ArrayList<>();
        assertThat(cache.load("good", notices)).isPresent();
        assertThat(cache.load("broken", notices)).isEmpty();
        assertThat(cache.load("old", notices)).isEmpty();
        assertThat(cache.load("never-saved", notices)).isEmpty();
        assertThat(notices).hasSize(2);
        assertThat(notices.get(0)).startsWith("ignored the last seen state in " + cache.file("broken") + ": it cannot be read");
        assertThat(notices.get(1)).isEqualTo("ignored the last seen state in " + cache.file("old") + ": format 0, this version reads 1");
        cache.save("broken", snapshot.environment("dev"), Instant.now());
        assertThat(cache.load("broken", notices)).as("the next save replaces it").isPresent();
    }

    @Test
    void theFolderKeepsAtMostSoManyFiles() throws IOException {
        LastSeenCache cache = new LastSeenCache(dir);
        EnvironmentSnapshot dev = snapshot.environment("dev");
        for (int i = 0; i < LastSeenCache.MAX_FILES + 5; i++) {
            cache.save("k" + i, dev, Instant.now());
            Files.setLastModifiedTime(cache.file("k" + i), java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(LastSeenCache.MAX_FILES);
        }
        assertThat(Files.exists(cache.file("k0"))).as("the oldest went first").isFalse();
        assertThat(Files.exists(cache.file("k" + (LastSeenCache.MAX_FILES + 4)))).isTrue();
    }

    @Test
    void theFolderFollowsTheEnvironmentVariables() {
        assertThat(LastSeenCache.defaultDir(Map.of("SHIPDECK_CACHE_DIR", "/c", "XDG_CACHE_HOME", "/x", "HOME", "/h")))
                .isEqualTo(Path.of("/c", "last-seen"));
        assertThat(LastSeenCache.defaultDir(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/h"))).isEqualTo(Path.of("/x", "shipdeck", "last-seen"));
        assertThat(LastSeenCache.defaultDir(Map.of("HOME", "/h"))).isEqualTo(Path.of("/h", ".cache", "shipdeck", "last-seen"));
    }
}
