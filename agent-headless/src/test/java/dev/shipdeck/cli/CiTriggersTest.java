package dev.shipdeck.cli;

import dev.shipdeck.core.model.Trigger;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Deploy markers take their links from the CI's own variables when no flag gives them. */
class CiTriggersTest {
    private static Trigger from(Map<String, String> env) {
        return CiTriggers.fromEnvironment(env::get);
    }

    @Test
    void gitlab() {
        Trigger t = from(Map.of("GITLAB_CI", "true", "CI_PIPELINE_URL", "https://gitlab.example/shop/-/pipelines/9",
                "CI_JOB_URL", "https://gitlab.example/shop/-/jobs/91", "CI_COMMIT_SHA", "abc123", "CI_PROJECT_URL", "https://gitlab.example/shop"));
        assertThat(t).isEqualTo(new Trigger("https://gitlab.example/shop/-/pipelines/9", "https://gitlab.example/shop/-/jobs/91", "abc123",
                "https://gitlab.example/shop/-/commit/abc123"));
    }

    @Test
    void circleciAndJenkinsAndAPlainCommit() {
        assertThat(from(Map.of("CIRCLECI", "true", "CIRCLE_BUILD_URL", "https://circleci.com/gh/acme/shop/12", "CIRCLE_WORKFLOW_ID", "wf-1",
                "CIRCLE_SHA1", "def456")))
                .isEqualTo(new Trigger("https://app.circleci.com/pipelines/workflows/wf-1", "https://circleci.com/gh/acme/shop/12", "def456", ""));
        assertThat(from(Map.of("BUILD_URL", "https://jenkins.example/job/shop/5/", "GIT_COMMIT", "0f0f")))
                .isEqualTo(new Trigger("https://jenkins.example/job/shop/5/", "https://jenkins.example/job/shop/5/", "0f0f", ""));
        assertThat(from(Map.of("GIT_COMMIT", "0f0f"))).isEqualTo(new Trigger("", "", "0f0f", ""));
        assertThat(from(Map.of()).isEmpty()).isTrue();
    }

    @Test
    void flagsWinOverTheEnvironment() {
        CiTriggers flags = new CiTriggers();
        flags.commitSha = "flag-sha";
        Trigger t = flags.resolve(Map.of("GITHUB_RUN_ID", "1", "GITHUB_REPOSITORY", "acme/shop", "GITHUB_SHA", "env-sha")::get);
        assertThat(t.commitSha()).isEqualTo("flag-sha");
        assertThat(t.pipelineUrl()).isEqualTo("https://github.com/acme/shop/actions/runs/1");
    }
}
