package dev.shipdeck.app.components;

import dev.shipdeck.core.model.VersionInfo;
import dev.shipdeck.core.model.Workload;

/** One version (ReplicaSet) of one workload of a component. */
public record VersionRow(Workload workload, VersionInfo version) {
    public String key() { return workload.namespace() + "/" + workload.name() + "/" + version.templateHash(); }

    /** The version the workload's template is at now. */
    public boolean current() { return version.current() || version.templateHash().equals(workload.templateHash()); }
}
