package dev.shipdeck.core.model;

/** What caused a release: links to the pipeline, job and commit (from workload annotations or markers). */
public record Trigger(String pipelineUrl, String jobUrl, String commitSha, String commitUrl) {
    public static final Trigger NONE = new Trigger("", "", "", "");

    public Trigger {
        pipelineUrl = nz(pipelineUrl);
        jobUrl = nz(jobUrl);
        commitSha = nz(commitSha);
        commitUrl = nz(commitUrl);
    }

    private static String nz(String s) { return s == null ? "" : s; }

    public boolean isEmpty() {
        return pipelineUrl.isEmpty() && jobUrl.isEmpty() && commitSha.isEmpty() && commitUrl.isEmpty();
    }

    /** e.g. {@code #812 a1b2c3d}. */
    public String shortText() {
        String num = pipelineUrl.isEmpty() ? "" : "#" + pipelineUrl.substring(pipelineUrl.lastIndexOf('/') + 1);
        String sha = commitSha.length() > 7 ? commitSha.substring(0, 7) : commitSha;
        return (num + " " + sha).trim();
    }
}
