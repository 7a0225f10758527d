package dev.shipdeck.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The YAML files the kubectl tests hand to {@code kubectl apply -f}. */
final class TestManifests {
    private TestManifests() {}

    /**
     * A Deployment selecting {@code app: <name>}, one container {@code app}; {@code podAnnotations} go on the pod
     * template (the simulation knobs), {@code specExtra} is more YAML at the level of {@code spec.replicas}.
     */
    static String deployment(String name, String image, int replicas, Map<String, String> podAnnotations, String specExtra) {
        StringBuilder annotations = new StringBuilder();
        if (!podAnnotations.isEmpty()) {
            annotations.append("      annotations:\n");
            podAnnotations.forEach((k, v) -> annotations.append("        ").append(k).append(": \"").append(v).append("\"\n"));
        }
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  labels:
                    app: %1$s
                spec:
                  replicas: %3$d
                %4$s  selector:
                    matchLabels:
                      app: %1$s
                  template:
                    metadata:
                      labels:
                        app: %1$s
                %5$s    spec:
                      containers:
                        - name: app
                          image: %2$s
                """.formatted(name, image, replicas, specExtra.isEmpty() ? "" : "  " + specExtra + "\n", annotations);
    }

    static String deployment(String name, String image, int replicas) {
        return deployment(name, image, replicas, Map.of(), "");
    }

    /** A 5-replica canary Rollout with the steps setWeight 20, pause {}, setWeight 100. */
    static String canaryRollout(String name, String image, boolean paused) {
        return """
                apiVersion: argoproj.io/v1alpha1
                kind: Rollout
                metadata:
                  name: %1$s
                spec:
                  replicas: 5
                  paused: %3$s
                  selector:
                    matchLabels:
                      app: %1$s
                  template:
                    metadata:
                      labels:
                        app: %1$s
                    spec:
                      containers:
                        - name: app
                          image: %2$s
                  strategy:
                    canary:
                      steps:
                        - setWeight: 20
                        - pause: {}
                        - setWeight: 100
                """.formatted(name, image, paused);
    }

    /** Writes {@code yaml} to {@code dir/fileName} (replacing it) and returns the file. */
    static Path write(Path dir, String fileName, String yaml) {
        try {
            return Files.writeString(dir.resolve(fileName), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
