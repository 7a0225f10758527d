package dev.shipdeck.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.kube.Kubeconfig;
import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** In a pod, the agent connects with what Kubernetes mounts: the ServiceAccount token, the CA and the namespace. */
class InClusterTest {
    @TempDir
    Path dir;

    @Test
    void theMountedServiceAccountIsAWorkingPrivateKubeconfig() throws Exception {
        try (ClusterSim sim = ClusterSim.builder().scenario("empty").start()) {
            JsonNode simConfig = new ObjectMapper(new YAMLFactory()).readTree(sim.kubeconfig());
            JsonNode cluster = simConfig.path("clusters").get(0).path("cluster");
            Path sa = Files.createDirectories(dir.resolve("serviceaccount"));
            Files.write(sa.resolve("ca.crt"), Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText()));
            Files.writeString(sa.resolve("token"), sim.token(ClusterSim.VIEWER) + "\n");
            Files.writeString(sa.resolve("namespace"), "shipdeck-system\n");
            URI server = URI.create(cluster.path("server").asText());
            Map<String, String> env = Map.of("KUBERNETES_SERVICE_HOST", server.getHost(), "KUBERNETES_SERVICE_PORT", Integer.toString(server.getPort()));

            assertThat(InCluster.available(env, sa)).isTrue();
            assertThat(InCluster.available(Map.of(), sa)).isFalse();
            InCluster pod = InCluster.create(env, sa, Files.createDirectories(dir.resolve("tmp")));

            assertThat(pod.namespace()).isEqualTo("shipdeck-system");
            assertThat(Files.getPosixFilePermissions(pod.kubeconfig())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            Kubeconfig kc = Kubeconfig.load(pod.kubeconfig().toString());
            assertThat(kc.context(InCluster.CONTEXT).namespace()).isEqualTo("shipdeck-system");
            assertThat(kc.secrets()).as("the token is scrubbed from logs").contains(sim.token(ClusterSim.VIEWER));
            try (KubeClients clients = new KubeClients(kc, KubeClients.Options.CLI)) {
                assertThat(clients.clientNow(InCluster.CONTEXT).namespaces().withName("default").get()).isNotNull();
            }
        }
    }
}
