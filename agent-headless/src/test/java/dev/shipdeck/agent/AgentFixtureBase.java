package dev.shipdeck.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The base of the agent tests that each get a fresh {@link AgentFixture}, closed after the test. */
abstract class AgentFixtureBase {
    @TempDir
    Path dir;
    AgentFixture fx;

    @BeforeEach
    void startFixture() {
        fx = new AgentFixture(dir);
    }

    @AfterEach
    void closeFixture() {
        fx.close();
    }
}
