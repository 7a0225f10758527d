package dev.shipdeck.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.model.EnvironmentSnapshot;
import dev.shipdeck.core.model.Labels;
import dev.shipdeck.core.model.Release;
import dev.shipdeck.core.model.ReleaseStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The moments between a workload's update and its controller catching up, which the real control plane showed under
 * load: the release history must say which release is being rolled out by the template, not by a status field the
 * controller has not written yet.
 */
class SnapshotWindowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Environment ENV = new Environment("sim", "sim", "", List.of(), Labels.NONE, 0);

    private static ObjectNode replicaSet(String owner, String hashKey, String revKey, int rev, String version, int available) {
        ObjectNode rs = JSON.createObjectNode();
        ObjectNode meta = rs.putObject("metadata");
        meta.put("name", "cart-h" + rev).put("namespace", "shop").put("uid", "rs-" + rev)
                .put("creationTimestamp", "2026-01-01T10:0" + rev + ":00Z");
        meta.putObject("labels").put(hashKey, "h" + rev);
        meta.putObject("annotations").put(revKey, Integer.toString(rev));
        meta.putArray("ownerReferences").addObject().put("controller", true).put("uid", owner).put("name", "cart");
        ObjectNode spec = rs.putObject("spec");
        spec.put("replicas", available);
        spec.putObject("template").putObject("metadata").putObject("labels").put("shipdeck.dev/version", version);
        rs.putObject("status").put("replicas", available).put("readyReplicas", available).put("availableReplicas", available);
        return rs;
    }

    private static ObjectNode workload(String kind, int generation, int observed, String version) {
        ObjectNode w = JSON.createObjectNode();
        w.put("kind", kind);
        ObjectNode meta = w.putObject("metadata");
        meta.put("name", "cart").put("namespace", "shop").put("uid", "uid-cart").put("generation", generation)
                .put("creationTimestamp", "2026-01-01T10:00:00Z");
        meta.putObject("labels").put("shipdeck.dev/component-name", "cart");
        ObjectNode spec = w.putObject("spec");
        spec.put("replicas", 2);
        spec.putObject("template").putObject("metadata").putObject("labels").put("shipdeck.dev/version", version);
        w.putObject("status").put("observedGeneration", observed).put("replicas", 2).put("availableReplicas", 2)
                .put("updatedReplicas", 2).put("readyReplicas", 2);
        return w;
    }

    private static Release release(EnvironmentSnapshot s, String version) {
        return s.releases().stream().filter(r -> r.version().equals(version)).findFirst()
                .orElseThrow(() -> new AssertionError("no release " + version + " in " + s.releases()));
    }

    @Test
    void aRolloutWhoseControllerMadeTheNewReplicaSetButNotYetItsStatusIsRollingOutTheNewOne() {
        ObjectNode rollout = workload("Rollout", 2, 1, "2.0.0");
        ((ObjectNode) rollout.path("spec")).putObject("strategy").putObject("canary").putArray("steps").addObject().put("setWeight", 50);
        ((ObjectNode) rollout.path("status")).put("currentPodHash", "h1").put("stableRS", "h1").put("phase", "Healthy");
        JsonNode old = replicaSet("uid-cart", "rollouts-pod-template-hash", "rollout.argoproj.io/revision", 1, "1.0.0", 2);
        JsonNode fresh = replicaSet("uid-cart", "rollouts-pod-template-hash", "rollout.argoproj.io/revision", 2, "2.0.0", 0);
        EnvironmentSnapshot s = SnapshotBuilder.build(ENV, ConnectionState.CONNECTED,
                new SnapshotBuilder.Inputs(List.of(), List.of(rollout), List.of(old, fresh), List.of(), List.of(), true, List.of()));

        assertThat(s.components()).singleElement().satisfies(c -> assertThat(c.workloads().get(0).templateHash()).isEqualTo("h2"));
        assertThat(release(s, "2.0.0").status()).as("the new template is what is rolling out").isEqualTo(ReleaseStatus.RUNNING);
        assertThat(release(s, "1.0.0").status()).as("the stable release stays as it was").isEqualTo(ReleaseStatus.SUCCESS);
    }

    @Test
    void aDeploymentUpdatedBeforeItsControllerMadeTheNewReplicaSetShowsItsLastReleaseAsItWas() {
        ObjectNode deployment = workload("Deployment", 2, 1, "2.0.0");
        JsonNode old = replicaSet("uid-cart", "pod-template-hash", "deployment.kubernetes.io/revision", 1, "1.0.0", 2);
        EnvironmentSnapshot s = SnapshotBuilder.build(ENV, ConnectionState.CONNECTED,
                new SnapshotBuilder.Inputs(List.of(deployment), List.of(), List.of(old), List.of(), List.of(), false, List.of()));

        assertThat(s.components()).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(ReleaseStatus.RUNNING));
        assertThat(release(s, "1.0.0").status()).as("not RUNNING again").isEqualTo(ReleaseStatus.SUCCESS);
    }

    @Test
    void aReplicaSetNewerThanTheCopyOfItsDeploymentWaitsForTheDeployment() {
        // the informers of ReplicaSets and Deployments are separate watches: the new ReplicaSet can arrive first
        ObjectNode deployment = workload("Deployment", 2, 2, "1.1.0");
        ((ObjectNode) deployment.path("metadata")).putObject("annotations").put("deployment.kubernetes.io/revision", "2");
        ((ObjectNode) deployment.path("status")).put("updatedReplicas", 0).put("availableReplicas", 2);
        JsonNode first = replicaSet("uid-cart", "pod-template-hash", "deployment.kubernetes.io/revision", 1, "1.0.0", 2);
        JsonNode stuck = replicaSet("uid-cart", "pod-template-hash", "deployment.kubernetes.io/revision", 2, "1.1.0", 0);
        JsonNode next = replicaSet("uid-cart", "pod-template-hash", "deployment.kubernetes.io/revision", 3, "1.2.0", 2);
        EnvironmentSnapshot s = SnapshotBuilder.build(ENV, ConnectionState.CONNECTED,
                new SnapshotBuilder.Inputs(List.of(deployment), List.of(), List.of(first, stuck, next), List.of(), List.of(), true, List.of()));

        assertThat(s.releases()).extracting(Release::version).as("1.2.0 is not shown before its Deployment is")
                .containsExactlyInAnyOrder("1.0.0", "1.1.0");
        assertThat(release(s, "1.1.0").status()).isEqualTo(ReleaseStatus.RUNNING);
        assertThat(s.components()).singleElement().satisfies(c -> assertThat(c.workloads().get(0).versions())
                .extracting(v -> v.version()).containsExactly("1.1.0", "1.0.0"));
    }
}
