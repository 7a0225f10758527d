package dev.shipdeck.core.records;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Object names for records: lower-case letters, digits and '-', at most 63 characters, so they are valid names and
 * label values. The same parts always give the same name; a name that had to be shortened ends with a hash of the
 * whole, so two long inputs do not collide.
 */
public final class RecordNames {
    public static final int MAX = 63;

    private RecordNames() {}

    /** The name of the Release record of one pod template revision of a workload: {@code <workload>-<hash>-<revision>}. */
    public static String release(String workload, String templateHash, long revision) {
        return of(workload, templateHash, Long.toString(revision));
    }

    /** Joins {@code parts} with '-' and makes the result a valid object name. */
    public static String of(String... parts) {
        String joined = String.join("-", parts);
        String s = joined.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-")
                .replaceAll("^-+", "").replaceAll("-+$", "");
        if (s.isEmpty()) s = "x";
        if (s.length() <= MAX) return s;
        String hash = sha(joined).substring(0, 8);
        String head = s.substring(0, MAX - hash.length() - 1).replaceAll("-+$", "");
        return head + "-" + hash;
    }

    private static String sha(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
