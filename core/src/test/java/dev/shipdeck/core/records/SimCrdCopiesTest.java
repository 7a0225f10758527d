package dev.shipdeck.core.records;

import dev.shipdeck.sim.ClusterSim;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cluster-sim keeps its own copy of the Shipdeck CRDs for the demo's Release records (it cannot depend on core): the
 * copies must be the CRDs Shipdeck installs, byte for byte.
 */
class SimCrdCopiesTest {
    @Test
    void theDemosCrdsAreTheOnesShipdeckInstalls() throws IOException {
        for (int i = 0; i < Crds.NAMES.size(); i++) {
            try (InputStream in = ClusterSim.class.getResourceAsStream("crds/" + Crds.NAMES.get(i) + ".yaml")) {
                assertThat(in).as("cluster-sim's copy of %s", Crds.NAMES.get(i)).isNotNull();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .as("cluster-sim/src/main/resources/dev/shipdeck/sim/crds/%s.yaml: copy it from core again", Crds.NAMES.get(i))
                        .isEqualTo(Crds.yaml().get(i));
            }
        }
    }
}
