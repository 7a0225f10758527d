package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses a stream of YAML (or JSON) documents into objects, skipping empty ones. */
public final class Manifests {
    private Manifests() {}

    public static List<JsonNode> parse(String text) {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = Json.YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && n.isObject() && !n.isEmpty()) {
                    out.add(n);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read manifests: " + e.getMessage(), e);
        }
        return out;
    }
}
