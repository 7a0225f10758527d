package dev.shipdeck.cli;

import dev.shipdeck.core.model.WorkloadKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** {@code --kind deployment|rollout} (kubectl's names, singular or plural, any case; {@code deploy} and {@code ro} too). */
final class WorkloadKindConverter implements ITypeConverter<WorkloadKind> {
    @Override
    public WorkloadKind convert(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "deployment", "deployments", "deploy" -> WorkloadKind.DEPLOYMENT;
            case "rollout", "rollouts", "ro" -> WorkloadKind.ROLLOUT;
            default -> throw new TypeConversionException("unknown kind '" + value + "', use deployment or rollout");
        };
    }
}
