package dev.shipdeck.cli;

import dev.shipdeck.core.kube.KubeNames;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A {@code --namespace} value, checked against Kubernetes' rules (DNS-1123 label) before anything is sent. */
final class NamespaceConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
        String problem = KubeNames.namespaceProblem(value);
        if (problem != null) throw new TypeConversionException(problem + ", e.g. " + suggestion(value));
        return value;
    }

    private static String suggestion(String value) {
        String s = value.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 63) s = s.substring(0, 63).replaceAll("-+$", "");
        return s.isEmpty() ? "my-namespace" : s;
    }
}
