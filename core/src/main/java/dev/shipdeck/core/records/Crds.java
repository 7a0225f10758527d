package dev.shipdeck.core.records;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The two CustomResourceDefinitions, as YAML documents ready for {@code kubectl apply -f -}. */
public final class Crds {
    public static final List<String> NAMES = List.of("releases.shipdeck.dev", "releasecommands.shipdeck.dev");

    private Crds() {}

    /** One YAML document per CRD, in {@link #NAMES} order. */
    public static List<String> yaml() {
        return NAMES.stream().map(Crds::read).toList();
    }

    private static String read(String name) {
        try (InputStream in = Crds.class.getResourceAsStream(name + ".yaml")) {
            if (in == null) throw new IllegalStateException("CRD resource " + name + ".yaml is missing from core");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
