package dev.shipdeck.cli;

import dev.shipdeck.core.model.Trigger;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * The trigger links of a deploy marker: from {@code --pipeline-url}, {@code --job-url}, {@code --commit-sha} and
 * {@code --commit-url}, else from the variables the common CI systems set (GitHub Actions, GitLab CI, CircleCI,
 * Jenkins, Buildkite), else from {@code GIT_COMMIT}. The commit time ({@code --commit-time}, on GitLab also
 * {@code CI_COMMIT_TIMESTAMP}) is what the lead time for changes is measured from; without it that lead time is unknown.
 */
final class CiTriggers {
    @Option(names = "--pipeline-url", paramLabel = "URL", description = "Link to the pipeline (default: from the CI's variables).")
    String pipelineUrl;

    @Option(names = "--job-url", paramLabel = "URL", description = "Link to the job (default: from the CI's variables).")
    String jobUrl;

    @Option(names = "--commit-sha", paramLabel = "SHA", description = "The commit deployed (default: from the CI's variables).")
    String commitSha;

    @Option(names = "--commit-url", paramLabel = "URL", description = "Link to the commit (default: from the CI's variables).")
    String commitUrl;

    @Option(names = "--commit-time", paramLabel = "TIME",
            description = "When the deployed commit was made, for the lead time for changes: ISO-8601 (git log -1 --format=%%cI) "
                    + "or Unix seconds (git log -1 --format=%%ct) (default: GitLab's CI_COMMIT_TIMESTAMP; elsewhere unknown).")
    String commitTime;

    /** The flags, each falling back to what the CI environment says. */
    Trigger resolve(UnaryOperator<String> env) {
        Trigger ci = fromEnvironment(env);
        Instant time;
        try {
            time = set(commitTime) ? Trigger.parseCommitTime(commitTime) : Trigger.commitTimeOrNull(env.apply("CI_COMMIT_TIMESTAMP"));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--commit-time: " + e.getMessage(), "or leave it out: the lead time is then unknown");
        }
        return new Trigger(first(pipelineUrl, ci.pipelineUrl()), first(jobUrl, ci.jobUrl()), first(commitSha, ci.commitSha()),
                first(commitUrl, ci.commitUrl()), time);
    }

    static Trigger fromEnvironment(UnaryOperator<String> env) {
        String githubRun = env.apply("GITHUB_RUN_ID");
        if (set(githubRun) && set(env.apply("GITHUB_REPOSITORY"))) {
            String repo = first(env.apply("GITHUB_SERVER_URL"), "https://github.com") + "/" + env.apply("GITHUB_REPOSITORY");
            String sha = env.apply("GITHUB_SHA");
            String attempt = env.apply("GITHUB_RUN_ATTEMPT");
            return new Trigger(repo + "/actions/runs/" + githubRun, set(attempt) ? repo + "/actions/runs/" + githubRun + "/attempts/" + attempt : "",
                    sha, set(sha) ? repo + "/commit/" + sha : "");
        }
        if (set(env.apply("GITLAB_CI")) || set(env.apply("CI_PIPELINE_URL"))) {
            String sha = env.apply("CI_COMMIT_SHA");
            String project = env.apply("CI_PROJECT_URL");
            return new Trigger(env.apply("CI_PIPELINE_URL"), env.apply("CI_JOB_URL"), sha,
                    set(project) && set(sha) ? project + "/-/commit/" + sha : "");
        }
        if (set(env.apply("CIRCLECI")) || set(env.apply("CIRCLE_BUILD_URL"))) {
            String workflow = env.apply("CIRCLE_WORKFLOW_ID");
            return new Trigger(set(workflow) ? "https://app.circleci.com/pipelines/workflows/" + workflow : "",
                    env.apply("CIRCLE_BUILD_URL"), env.apply("CIRCLE_SHA1"), "");
        }
        if (set(env.apply("BUILDKITE_BUILD_URL"))) {
            String url = env.apply("BUILDKITE_BUILD_URL");
            String job = env.apply("BUILDKITE_JOB_ID");
            return new Trigger(url, set(job) ? url + "#" + job : "", env.apply("BUILDKITE_COMMIT"), "");
        }
        if (set(env.apply("BUILD_URL"))) {
            return new Trigger(env.apply("BUILD_URL"), env.apply("BUILD_URL"), env.apply("GIT_COMMIT"), "");
        }
        return new Trigger("", "", env.apply("GIT_COMMIT"), "");
    }

    private static boolean set(String s) {
        return s != null && !s.isBlank();
    }

    private static String first(String a, String b) {
        return set(a) ? a.trim() : b == null ? "" : b;
    }
}
