package dev.shipdeck.core.model;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * What caused a release: links to the pipeline, job and commit (from workload annotations or markers), and when the
 * commit was made where CI said so ({@code --commit-time}, the {@code shipdeck.dev/commit-time} annotation); null when
 * nobody said: the lead time of such a release is unknown, never guessed.
 */
public record Trigger(String pipelineUrl, String jobUrl, String commitSha, String commitUrl, Instant commitTime) {
    public static final Trigger NONE = new Trigger("", "", "", "");

    public Trigger {
        pipelineUrl = nz(pipelineUrl);
        jobUrl = nz(jobUrl);
        commitSha = nz(commitSha);
        commitUrl = nz(commitUrl);
    }

    /** A trigger without a commit time. */
    public Trigger(String pipelineUrl, String jobUrl, String commitSha, String commitUrl) {
        this(pipelineUrl, jobUrl, commitSha, commitUrl, null);
    }

    private static String nz(String s) { return s == null ? "" : s; }

    public boolean isEmpty() {
        return pipelineUrl.isEmpty() && jobUrl.isEmpty() && commitSha.isEmpty() && commitUrl.isEmpty() && commitTime == null;
    }

    public Trigger withCommitTime(Instant t) {
        return new Trigger(pipelineUrl, jobUrl, commitSha, commitUrl, t);
    }

    /**
     * A commit time as CI tools print it: ISO-8601 with {@code Z} or an offset ({@code git log -1 --format=%cI},
     * GitLab's {@code CI_COMMIT_TIMESTAMP}) or Unix seconds ({@code git log -1 --format=%ct}); null for blank text.
     *
     * @throws IllegalArgumentException for anything else, saying what is accepted
     */
    public static Instant parseCommitTime(String text) {
        if (text == null || text.isBlank()) return null;
        String s = text.trim();
        if (s.matches("\\d{9,11}")) return Instant.ofEpochSecond(Long.parseLong(s));
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + s + "\" is not a commit time: use ISO-8601 such as 2026-11-30T14:05:00Z or "
                    + "2026-11-30T15:05:00+01:00 (git log -1 --format=%cI), or Unix seconds (git log -1 --format=%ct)");
        }
    }

    /** Like {@link #parseCommitTime} but null for text that is not a time (annotations and records someone else wrote). */
    public static Instant commitTimeOrNull(String text) {
        try {
            return parseCommitTime(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** e.g. {@code #812 a1b2c3d}. */
    public String shortText() {
        String num = pipelineUrl.isEmpty() ? "" : "#" + pipelineUrl.substring(pipelineUrl.lastIndexOf('/') + 1);
        String sha = commitSha.length() > 7 ? commitSha.substring(0, 7) : commitSha;
        return (num + " " + sha).trim();
    }
}
