package dev.shipdeck.app.release;

import java.util.Objects;

/** One field of the pod template, before and after (empty = absent). */
public record DiffRow(String container, String field, String before, String after) {
    public boolean changed() { return !Objects.equals(before, after); }

    public String key() { return container + "/" + field; }
}
