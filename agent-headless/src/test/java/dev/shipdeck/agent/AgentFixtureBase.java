package dev.shipdeck.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The base of the agent tests that each get a fresh {@link AgentFixture}, closed after the test. When a test fails,
 * the workloads' status, the Release records and the agent's log are printed before the fixture goes away.
 */
abstract class AgentFixtureBase {
    @TempDir
    Path dir;
    AgentFixture fx;

    @RegisterExtension
    final AfterTestExecutionCallback diagnostics = context -> {
        if (context.getExecutionException().isPresent() && fx != null) {
            System.err.println("=== " + context.getDisplayName() + " failed; the cluster as the agent saw it:\n" + fx.diagnostics());
        }
    };

    @BeforeEach
    void startFixture() {
        fx = new AgentFixture(dir);
    }

    @AfterEach
    void closeFixture() {
        fx.close();
    }
}
