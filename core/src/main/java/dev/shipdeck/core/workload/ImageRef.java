package dev.shipdeck.core.workload;

import java.util.Locale;

/**
 * A container image reference as the container runtime resolves it: {@code web:1.2.0} is
 * {@code docker.io/library/web:1.2.0}; {@code example/web:1.2.0@sha256:…} is pinned by digest. A pod's
 * {@code status.containerStatuses[].imageID} ({@code docker.io/example/web@sha256:…}) parses to the digest it ran.
 *
 * @param repository normalized (registry and path, {@code docker.io/library/} added as the runtime does)
 * @param tag empty when none is given ({@code latest} for an image without tag or digest)
 * @param digest {@code sha256:…}, or empty when the reference is not pinned
 */
public record ImageRef(String repository, String tag, String digest) {
    public static ImageRef parse(String image) {
        String ref = image == null ? "" : image.strip();
        int at = ref.indexOf('@');
        String digest = at < 0 ? "" : ref.substring(at + 1).toLowerCase(Locale.ROOT);
        String name = at < 0 ? ref : ref.substring(0, at);
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        String tag = colon > slash ? name.substring(colon + 1) : "";
        String repo = colon > slash ? name.substring(0, colon) : name;
        int first = repo.indexOf('/');
        String head = first < 0 ? "" : repo.substring(0, first);
        if (first < 0) {
            repo = "docker.io/library/" + repo;
        } else if (!head.contains(".") && !head.contains(":") && !head.equals("localhost")) {
            repo = "docker.io/" + repo;
        }
        if (tag.isEmpty() && digest.isEmpty()) tag = "latest";
        return new ImageRef(repo, tag, digest);
    }

    /** Whether the reference names its digest ({@code image@sha256:…}). */
    public boolean pinned() {
        return !digest.isEmpty();
    }

    /** {@code docker.io/example/web:1.2.0}: what a tag resolves from. */
    public String named() {
        return repository + (tag.isEmpty() ? "" : ":" + tag);
    }

    /** A digest shortened for a sentence: {@code sha256:0123456789ab…}. */
    public static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) + "…" : digest;
    }
}
