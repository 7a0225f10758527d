package dev.shipdeck.app.release;

/** One canary step: done, current (where the rollout is) or to come. */
public record StepRow(int index, String text, State state) {
    public enum State { DONE, CURRENT, NEXT }
}
