package dev.shipdeck.cli;

import dev.shipdeck.core.model.ReleaseType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** What a deploy marker is about, with the flags CI tools already use for it. */
final class MarkerOptions {
    @Option(names = "--environment-name", paramLabel = "NAME",
            description = "The environment (default: the only one, when the kubeconfig has one context).")
    String environment;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", defaultValue = "default", converter = NamespaceConverter.class,
            description = "Where the record is kept, normally the component's namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--component-name", paramLabel = "NAME", required = true, description = "The component released.")
    String component;

    @Option(names = "--target-version", paramLabel = "VERSION", required = true, description = "The version released.")
    String version;

    @Option(names = "--release-strategy", paramLabel = "STRATEGY", defaultValue = "deployment", converter = Strategy.class,
            description = "deployment or progressive (a canary) (default: ${DEFAULT-VALUE}).")
    ReleaseType type;

    @Option(names = "--rollback", description = "The release puts an earlier version back.")
    boolean rollback;

    /** {@code deployment} or {@code progressive}. */
    static final class Strategy implements ITypeConverter<ReleaseType> {
        @Override
        public ReleaseType convert(String value) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "deployment" -> ReleaseType.DEPLOYMENT;
                case "progressive" -> ReleaseType.PROGRESSIVE;
                default -> throw new TypeConversionException("unknown release strategy '" + value + "', use deployment or progressive");
            };
        }
    }
}
