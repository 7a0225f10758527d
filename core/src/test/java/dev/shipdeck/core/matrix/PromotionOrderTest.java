package dev.shipdeck.core.matrix;

import dev.shipdeck.core.Environments;
import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromotionOrderTest {
    @TempDir Path dir;

    private static Environment env(String name, String labels) {
        return new Environment(name, name, name, List.of(), Labels.parse(labels), 0);
    }

    private static List<Environment> envs(String... names) {
        return java.util.Arrays.stream(names).map(n -> env(n, "")).toList();
    }

    @Test
    void theFilesLanesComeFirstAndEachEnvironmentFollowsTheOneBeforeItInItsLane() throws IOException {
        Path f = dir.resolve("environments.yaml");
        Files.writeString(f, "promotion:\n  - [dev, staging, prod-eu]\n  - [dev, staging, prod-us]\n");
        PromotionOrder p = Environments.promotion(envs("prod-us", "prod-eu", "other", "staging", "dev"), f);

        assertThat(p.source()).isEqualTo(PromotionOrder.Source.FILE);
        assertThat(p.order()).containsExactly("dev", "staging", "prod-eu", "prod-us", "other");
        assertThat(p.previousOf("prod-eu")).isEqualTo("staging");
        assertThat(p.previousOf("prod-us")).isEqualTo("staging");
        assertThat(p.previousOf("staging")).isEqualTo("dev");
        assertThat(p.previousOf("dev")).isNull();
        assertThat(p.previousOf("other")).isNull();
        assertThat(p.lanes()).containsExactly("dev → staging → prod-eu", "dev → staging → prod-us", "other");
    }

    @Test
    void oneListIsOneLane() throws IOException {
        Path f = dir.resolve("environments.yaml");
        Files.writeString(f, "environments:\n  - context: a\n    name: dev\npromotion: [dev, prod]\n");
        PromotionOrder p = Environments.promotion(envs("prod", "dev"), f);
        assertThat(p.order()).containsExactly("dev", "prod");
        assertThat(p.previousOf("prod")).isEqualTo("dev");
    }

    @Test
    void aLaneNamingAnUnknownEnvironmentIsAnErrorNamingTheFile() throws IOException {
        Path f = dir.resolve("environments.yaml");
        Files.writeString(f, "promotion: [dev, qa, prod]\n");
        assertThatThrownBy(() -> Environments.promotion(envs("dev", "prod"), f))
                .isInstanceOf(ShipdeckException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("environment \"qa\", which does not exist");
        Files.writeString(f, "promotion: {dev: 1}\n");
        assertThatThrownBy(() -> Environments.promotion(envs("dev", "prod"), f)).hasMessageContaining("promotion must be a list");
        Files.writeString(f, "promotion: [dev, dev]\n");
        assertThatThrownBy(() -> Environments.promotion(envs("dev", "prod"), f)).hasMessageContaining("names dev twice");
    }

    @Test
    void withoutAFileTheStageOrTierLabelsOrderTheEnvironments() {
        PromotionOrder p = PromotionOrder.of(List.of(env("eu", "tier:production"), env("us", "stage:3"), env("b", "stage:2"),
                env("a", "tier:dev")), List.of());
        assertThat(p.source()).isEqualTo(PromotionOrder.Source.STAGES);
        assertThat(p.order()).containsExactly("a", "b", "eu", "us");
        assertThat(p.previousOf("eu")).isEqualTo("b");
        assertThat(p.previousOf("us")).isEqualTo("b");
        assertThat(p.previousOf("b")).isEqualTo("a");
    }

    @Test
    void stageWordsInTheNamesOrderTheDemosContexts() {
        PromotionOrder p = PromotionOrder.of(envs("prod-eu", "staging", "dev"), null);
        assertThat(p.source()).isEqualTo(PromotionOrder.Source.STAGES);
        assertThat(p.order()).containsExactly("dev", "staging", "prod-eu");
        assertThat(p.previousOf("prod-eu")).isEqualTo("staging");
        assertThat(PromotionOrder.production(env("prod-eu", ""))).isTrue();
        assertThat(PromotionOrder.production(env("staging", ""))).isFalse();
        assertThat(PromotionOrder.production(env("eu-1", "tier:prod"))).isTrue();
        assertThat(PromotionOrder.production(env("pre-prod", ""))).isFalse();
    }

    @Test
    void whenAnEnvironmentHasNoStageTheKubeconfigOrderIsOneLane() {
        PromotionOrder p = PromotionOrder.of(envs("blue", "dev", "green"), List.of());
        assertThat(p.source()).isEqualTo(PromotionOrder.Source.KUBECONFIG);
        assertThat(p.order()).containsExactly("blue", "dev", "green");
        assertThat(p.previousOf("green")).isEqualTo("dev");
        assertThat(p.previousOf("blue")).isNull();
    }

    @Test
    void movingAnEnvironmentSwapsItWithItsNeighbourInEveryLaneThatHasIt() {
        PromotionOrder two = PromotionOrder.of(envs("dev", "staging", "prod-eu", "prod-us"),
                List.of(List.of("dev", "staging", "prod-eu"), List.of("dev", "staging", "prod-us")));
        assertThat(two.laneLists()).containsExactly(List.of("dev", "staging", "prod-eu"), List.of("dev", "staging", "prod-us"));
        assertThat(two.moved("staging", -1)).containsExactly(List.of("staging", "dev", "prod-eu"), List.of("staging", "dev", "prod-us"));
        assertThat(two.moved("prod-eu", +1)).as("already last").isEqualTo(two.laneLists());
        assertThat(two.moved("prod-eu", -1)).containsExactly(List.of("dev", "prod-eu", "staging"), List.of("dev", "staging", "prod-us"));
    }

    @Test
    void theOrderIsWrittenIntoTheFileAndEverythingElseInItStays() throws IOException {
        Path f = dir.resolve("environments.yaml");
        Files.writeString(f, """
                # our clusters
                environments:
                  - context: prod-eu
                    labels: ["tier:prod"]   # production
                promotion:
                  - dev
                  - staging
                  - prod-eu
                # the end
                """);
        Environments.writePromotion(f, List.of(List.of("staging", "dev", "prod-eu")));
        assertThat(Files.readString(f)).isEqualTo("""
                # our clusters
                environments:
                  - context: prod-eu
                    labels: ["tier:prod"]   # production
                promotion: [staging, dev, prod-eu]
                # the end
                """);
        assertThat(Environments.promotion(envs("dev", "staging", "prod-eu"), f).order()).containsExactly("staging", "dev", "prod-eu");

        Path fresh = dir.resolve("new/environments.yaml");
        Environments.writePromotion(fresh, List.of(List.of("dev", "prod-eu"), List.of("dev", "prod-us")));
        assertThat(Files.readString(fresh)).isEqualTo("promotion: [[dev, prod-eu], [dev, prod-us]]\n");
    }
}
