package dev.shipdeck.core.commands;

/**
 * The HorizontalPodAutoscaler that manages a workload's replicas ({@code spec.scaleTargetRef} names it), as a scale
 * command found it: a scale is refused unless forced, and its range is what {@code hpaMin}/{@code hpaMax} change.
 *
 * @param apiVersion {@code autoscaling/v2}, or {@code autoscaling/v1} on servers without v2
 */
public record Autoscaler(String namespace, String name, String apiVersion, int minReplicas, int maxReplicas) {
    /** "HorizontalPodAutoscaler web-hpa (min 2, max 10)". */
    public String describe() {
        return "HorizontalPodAutoscaler " + name + " (min " + minReplicas + ", max " + maxReplicas + ")";
    }

    String path() {
        return "/apis/" + apiVersion + "/namespaces/" + namespace + "/horizontalpodautoscalers/" + name;
    }
}
