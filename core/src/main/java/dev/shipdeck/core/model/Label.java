package dev.shipdeck.core.model;

import dev.shipdeck.core.ShipdeckException;

import java.util.List;
import java.util.regex.Pattern;

/** A {@code key:value} label on a component or an environment. */
public record Label(String key, String value) implements Comparable<Label> {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    public static final int MAX_PER_OBJECT = 20;

    /** {@code items} unchanged when there are at most {@link #MAX_PER_OBJECT}; else why not ({@code what}: "labels"), and {@code hint}. */
    public static List<Label> checkCount(List<Label> items, String what, String hint) {
        if (items.size() > MAX_PER_OBJECT) {
            throw new ShipdeckException(items.size() + " " + what + " given; at most " + MAX_PER_OBJECT + " are allowed", hint);
        }
        return items;
    }

    public Label {
        if (key == null || !PART.matcher(key).matches()) {
            throw new ShipdeckException("invalid label key \"" + key + "\"",
                    "a key is 1-63 letters, digits, '.', '_', '-' or '/', starting and ending with a letter or digit");
        }
        if (value == null || !PART.matcher(value).matches()) {
            throw new ShipdeckException("invalid value \"" + value + "\" for label \"" + key + "\"",
                    "a value is 1-63 letters, digits, '.', '_', '-' or '/', starting and ending with a letter or digit");
        }
    }

    /** Checks a key alone (e.g. one to remove), with the same message a bad key of a label gets. */
    public static String checkKey(String key) {
        new Label(key, "x");
        return key;
    }

    /** Parses {@code key:value}; says exactly what is wrong otherwise. */
    public static Label parse(String text) {
        String t = text == null ? "" : text.trim();
        int i = t.indexOf(':');
        if (t.isEmpty()) {
            throw new ShipdeckException("empty label", "write labels as key:value, e.g. team:payments");
        }
        if (i < 0) {
            throw new ShipdeckException("label \"" + t + "\" has no value", "write it as key:value, e.g. " + t + ":payments");
        }
        if (i == 0) {
            throw new ShipdeckException("label \"" + t + "\" has no key", "write it as key:value, e.g. team" + t);
        }
        if (i == t.length() - 1) {
            throw new ShipdeckException("label \"" + t + "\" has no value", "write it as key:value, e.g. " + t + "payments");
        }
        if (t.indexOf(':', i + 1) >= 0) {
            throw new ShipdeckException("label \"" + t + "\" has more than one ':'", "write it as key:value, e.g. team:payments");
        }
        return new Label(t.substring(0, i).trim(), t.substring(i + 1).trim());
    }

    @Override
    public String toString() { return key + ":" + value; }

    @Override
    public int compareTo(Label o) { return toString().compareTo(o.toString()); }
}
